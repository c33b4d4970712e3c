import type { MappedContainer } from './map-container.ts';
import type { Container, Orchestration } from './schema.ts';

interface Link {
  anchor: string | null;
  anchorType: Orchestration['anchorType'];
  inferred: boolean;
}

/**
 * Resolve anchors and dependents among the containers of one host (docs/labels.md): labels first,
 * then network_mode container:X, then compose depends_on. Hidden containers are dropped last,
 * so links to them are still understood.
 */
export function resolveOrchestration(host: string, mapped: MappedContainer[]): Container[] {
  const byName = new Map(mapped.map((m) => [m.container.name, m]));
  const links = new Map<string, Link>();
  const warnings = new Map<string, string[]>();
  for (const m of mapped) {
    const own = [...m.labels.warnings];
    links.set(m.container.name, resolveLink(host, m, mapped, byName, own));
    warnings.set(m.container.name, own);
  }

  const dependents = new Map<string, string[]>();
  for (const m of mapped) {
    const anchor = links.get(m.container.name)!.anchor;
    if (!anchor || m.labels.hide || !byName.has(anchor)) continue;
    dependents.set(anchor, [...(dependents.get(anchor) ?? []), m.container.name]);
  }
  for (const [name, path] of findCycles(links)) {
    warnings.get(name)!.push(`dependency cycle: ${path.join(' → ')}`);
  }

  return mapped
    .filter((m) => !m.labels.hide)
    .map((m) => {
      const name = m.container.name;
      const link = links.get(name)!;
      const own = warnings.get(name)!;
      const deps = (dependents.get(name) ?? []).sort();
      const labelled = m.labels.role;
      if (labelled === 'standalone' && link.anchor)
        own.push(`labelled standalone, but dockpeek.anchor names ${link.anchor}`);
      if (labelled === 'standalone' && deps.length > 0) {
        own.push(
          `labelled standalone, but ${deps.length} container(s) depend on it: ${deps.join(', ')}`,
        );
      }
      const role =
        labelled ?? (link.anchor ? 'dependent' : deps.length > 0 ? 'anchor' : 'standalone');
      // An anchor nobody labelled is itself an inference when every link to it was inferred.
      const derivedAnchor = !labelled && !link.anchor && deps.length > 0;
      const inferred =
        link.inferred || (derivedAnchor && deps.every((d) => links.get(d)!.inferred));
      const orchestration: Orchestration = {
        role,
        anchor: link.anchor,
        anchorType: link.anchor ? link.anchorType : (m.labels.anchorType ?? null),
        dependents: deps,
        stackOverride: m.labels.stack ?? null,
        hidden: false,
        inferred,
        warnings: [...new Set(own)],
      };
      return { ...m.container, orchestration };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Decide one container's anchor; labels win over network_mode, which wins over depends_on. */
function resolveLink(
  host: string,
  m: MappedContainer,
  all: MappedContainer[],
  byName: Map<string, MappedContainer>,
  warnings: string[],
): Link {
  const { name } = m.container;
  const networkAnchor = m.networkTarget ? findByIdOrName(all, m.networkTarget) : undefined;
  if (m.networkTarget && !networkAnchor) {
    warnings.push(
      `network_mode container:${m.networkTarget.slice(0, 12)} points at a container that does not exist`,
    );
  }
  const serviceAnchor = m.container.compose.dependsOn
    .map((service) =>
      all.find(
        (o) =>
          o.container.compose.project === m.container.compose.project &&
          o.container.compose.service === service,
      ),
    )
    .find((o) => o && o.container.name !== name);

  let link: Link = { anchor: null, anchorType: null, inferred: false };
  if (m.labels.anchor) {
    const viaNetwork = networkAnchor?.container.name === m.labels.anchor;
    link = {
      anchor: m.labels.anchor,
      anchorType: m.labels.anchorType ?? (viaNetwork ? 'network' : null),
      inferred: false,
    };
  } else if (m.labels.role === 'standalone') {
    if (networkAnchor)
      warnings.push(
        `labelled standalone, but shares the network namespace of ${networkAnchor.container.name}`,
      );
  } else if (networkAnchor) {
    link = { anchor: networkAnchor.container.name, anchorType: 'network', inferred: true };
  } else if (serviceAnchor) {
    link = {
      anchor: serviceAnchor.container.name,
      anchorType: m.labels.anchorType ?? null,
      inferred: true,
    };
  }

  if (link.anchor === name) {
    warnings.push(
      m.labels.anchor
        ? 'dockpeek.anchor names the container itself; ignored'
        : `network_mode container:${m.networkTarget?.slice(0, 12)} is the container itself; ignored`,
    );
    return { anchor: null, anchorType: null, inferred: false };
  }
  if (link.anchor) {
    const target = byName.get(link.anchor);
    if (!target) warnings.push(`anchor "${link.anchor}" does not exist on host ${host}`);
    else if (target.labels.hide)
      warnings.push(`anchor "${link.anchor}" is hidden (dockpeek.hide=true)`);
    link.anchorType ??= target?.labels.anchorType ?? (link.inferred ? 'service' : null);
  } else if (m.labels.role === 'dependent') {
    warnings.push('dockpeek.role=dependent, but no dockpeek.anchor says what it depends on');
  }
  return link;
}

/** network_mode holds a full id; accept an id prefix or a name too. */
function findByIdOrName(all: MappedContainer[], target: string): MappedContainer | undefined {
  return all.find(
    (o) =>
      o.container.name === target || (target.length >= 12 && o.container.id.startsWith(target)),
  );
}

/** Every container that lies on a cycle of anchor links, with the cycle as a path from it. */
export function findCycles(links: Map<string, { anchor: string | null }>): Map<string, string[]> {
  const cycles = new Map<string, string[]>();
  for (const start of links.keys()) {
    const path = [start];
    let next = links.get(start)?.anchor;
    while (next && path.length <= links.size) {
      path.push(next);
      if (next === start) {
        cycles.set(start, path);
        break;
      }
      if (path.indexOf(next) < path.length - 1) break; // a cycle that does not include start
      next = links.get(next)?.anchor;
    }
  }
  return cycles;
}
