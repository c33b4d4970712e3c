import { describe, expect, it } from 'vitest';
import type { ApiContainer } from '../../pipeline/docker/api-schema.ts';
import { mapContainer } from '../../pipeline/snapshot/map-container.ts';
import { findCycles, resolveOrchestration } from '../../pipeline/snapshot/orchestration.ts';

let serial = 0;
/** A list entry as GET /containers/json returns it. */
function api(
  name: string,
  labels: Record<string, string> = {},
  networkMode = 'none',
): ApiContainer {
  serial += 1;
  return {
    Id: `${String(serial).padStart(4, '0')}${'a'.repeat(60)}`,
    Names: [`/${name}`],
    Image: 'busybox',
    ImageID: 'sha256:1',
    State: 'running',
    Status: 'Up 1 second',
    Labels: labels,
    HostConfig: { NetworkMode: networkMode },
  };
}

function resolve(entries: ApiContainer[]) {
  const mapped = entries.map((e) => mapContainer('lab', e, new Map(), undefined));
  return new Map(resolveOrchestration('lab', mapped).map((c) => [c.name, c.orchestration]));
}

describe('resolveOrchestration', () => {
  it('infers a network dependent from network_mode container:<id>', () => {
    const vpn = api('vpn');
    const result = resolve([vpn, api('app', {}, `container:${vpn.Id}`)]);
    expect(result.get('app')).toMatchObject({
      role: 'dependent',
      anchor: 'vpn',
      anchorType: 'network',
      inferred: true,
    });
    expect(result.get('vpn')).toMatchObject({
      role: 'anchor',
      dependents: ['app'],
      inferred: true,
    });
  });

  it('infers a service dependent from compose depends_on within the same project', () => {
    const compose = (service: string, extra: Record<string, string> = {}) => ({
      'com.docker.compose.project': 'p',
      'com.docker.compose.service': service,
      ...extra,
    });
    const result = resolve([
      api('p-db-1', compose('db', { 'dockpeek.anchor-type': 'database' })),
      api(
        'p-web-1',
        compose('web', { 'com.docker.compose.depends_on': 'db:service_healthy:true' }),
      ),
      api('other-db-1', {
        'com.docker.compose.project': 'other',
        'com.docker.compose.service': 'db',
      }),
    ]);
    expect(result.get('p-web-1')).toMatchObject({
      anchor: 'p-db-1',
      anchorType: 'database',
      inferred: true,
    });
    expect(result.get('p-db-1')!.dependents).toEqual(['p-web-1']);
    expect(result.get('other-db-1')!.dependents).toEqual([]);
  });

  it('lets labels win over inference', () => {
    const vpn = api('vpn');
    const result = resolve([
      vpn,
      api('db'),
      api(
        'app',
        { 'dockpeek.anchor': 'db', 'dockpeek.anchor-type': 'database' },
        `container:${vpn.Id}`,
      ),
      api('loner', { 'dockpeek.role': 'standalone' }, `container:${vpn.Id}`),
    ]);
    expect(result.get('app')).toMatchObject({
      anchor: 'db',
      anchorType: 'database',
      inferred: false,
    });
    expect(result.get('loner')).toMatchObject({
      role: 'standalone',
      anchor: null,
      warnings: ['labelled standalone, but shares the network namespace of vpn'],
    });
    expect(result.get('vpn')!.dependents).toEqual([]);
  });

  it('drops hidden containers but still warns about links to them', () => {
    const result = resolve([
      api('secret', { 'dockpeek.hide': 'true' }),
      api('app', { 'dockpeek.anchor': 'secret' }),
    ]);
    expect([...result.keys()]).toEqual(['app']);
    expect(result.get('app')!.warnings).toEqual(['anchor "secret" is hidden (dockpeek.hide=true)']);
  });

  it('warns when a labelled standalone has dependents, and when a dependent has no anchor', () => {
    const result = resolve([
      api('db', { 'dockpeek.role': 'standalone' }),
      api('app', { 'dockpeek.anchor': 'db' }),
      api('lost', { 'dockpeek.role': 'dependent' }),
    ]);
    expect(result.get('db')).toMatchObject({ role: 'standalone', dependents: ['app'] });
    expect(result.get('db')!.warnings).toEqual([
      'labelled standalone, but 1 container(s) depend on it: app',
    ]);
    expect(result.get('lost')!.warnings).toEqual([
      'dockpeek.role=dependent, but no dockpeek.anchor says what it depends on',
    ]);
  });

  it('warns on a network_mode target that does not exist', () => {
    const result = resolve([api('app', {}, `container:${'f'.repeat(64)}`)]);
    expect(result.get('app')).toMatchObject({ role: 'standalone', anchor: null });
    expect(result.get('app')!.warnings).toEqual([
      'network_mode container:ffffffffffff points at a container that does not exist',
    ]);
  });
});

describe('findCycles', () => {
  it.each([
    [
      { a: 'b', b: 'a' },
      { a: ['a', 'b', 'a'], b: ['b', 'a', 'b'] },
    ],
    [
      { a: 'b', b: 'c', c: 'a', d: 'a' },
      { a: ['a', 'b', 'c', 'a'], b: ['b', 'c', 'a', 'b'], c: ['c', 'a', 'b', 'c'] },
    ],
    [{ a: 'b', b: null }, {}],
    [
      { x: 'a', a: 'b', b: 'a' },
      { a: ['a', 'b', 'a'], b: ['b', 'a', 'b'] },
    ],
  ])('%j', (graph, expected) => {
    const links = new Map(Object.entries(graph).map(([k, v]) => [k, { anchor: v }]));
    expect(Object.fromEntries(findCycles(links))).toEqual(expected);
  });
});
