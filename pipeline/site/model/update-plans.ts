import type { ContainerRow, UpdatePlan } from './schema/containers.ts';

/**
 * For each anchor with an update: stop its dependents, update it, wait for it, recreate the
 * dependents (network dependents must be recreated to join the new namespace), wait for them.
 */
export function buildUpdatePlans(rows: ContainerRow[]): UpdatePlan[] {
  const byKey = new Map(rows.map((r) => [`${r.host}/${r.name}`, r]));
  return rows
    .filter((r) => r.update.state === 'available' && r.dependents.length > 0)
    .map((anchor) => {
      const deps = anchor.dependents
        .map((d) => byKey.get(`${anchor.host}/${d}`))
        .filter((d) => d !== undefined);
      const waitFor = (r: ContainerRow) =>
        r.health ? `until ${r.name} reports healthy` : `until ${r.name} is running`;
      const network = deps.filter((d) => d.anchor?.type === 'network');
      const others = deps.filter((d) => !network.includes(d));
      const names = (list: ContainerRow[]) => list.map((d) => d.name).join(', ');
      return {
        anchor: anchor.name,
        host: anchor.host,
        steps: [
          `Stop the dependents: ${names(deps)}.`,
          `Pull ${anchor.image} and recreate ${anchor.name}.`,
          `Wait ${waitFor(anchor)}.`,
          network.length
            ? `Recreate ${names(network)} (they share ${anchor.name}'s network namespace, so a restart is not enough)${
                others.length ? `, then start ${names(others)}` : ''
              }.`
            : `Start the dependents again: ${names(deps)}.`,
          `Wait ${deps.map(waitFor).join('; ')}.`,
        ],
      };
    });
}
