import type { ContainerRow } from './container-rows.ts';

/** A read-only plan for updating an anchor without breaking what depends on it. Shown, never run. */
export interface UpdatePlan {
  anchor: string;
  host: string;
  steps: string[];
}

/**
 * For each anchor with an update: stop its dependents, update it, wait for it, recreate the
 * dependents (network dependents must be recreated to join the new namespace), wait for them.
 */
export function buildUpdatePlans(rows: ContainerRow[]): UpdatePlan[] {
  const byKey = new Map(rows.map((r) => [`${r.host}/${r.name}`, r]));
  return rows
    .filter((r) => r.update.kind === 'available' && r.dependents.length > 0)
    .map((anchor) => {
      const deps = anchor.dependents
        .map((d) => byKey.get(`${anchor.host}/${d}`))
        .filter((d) => d !== undefined);
      const waitFor = (r: ContainerRow) =>
        r.health ? `until ${r.name} reports healthy` : `until ${r.name} is running`;
      const network = deps.filter((d) => d.dependsOn?.includes('(network'));
      return {
        anchor: anchor.name,
        host: anchor.host,
        steps: [
          `Stop the dependents: ${deps.map((d) => d.name).join(', ')}.`,
          `Pull ${anchor.image} and recreate ${anchor.name}.`,
          `Wait ${waitFor(anchor)}.`,
          network.length
            ? `Recreate ${network.map((d) => d.name).join(', ')} (they share ${anchor.name}'s network namespace, so a restart is not enough)${
                deps.length > network.length
                  ? `, then start ${deps
                      .filter((d) => !network.includes(d))
                      .map((d) => d.name)
                      .join(', ')}`
                  : ''
              }.`
            : `Start the dependents again: ${deps.map((d) => d.name).join(', ')}.`,
          `Wait ${deps.map(waitFor).join('; ')}.`,
        ],
      };
    });
}
