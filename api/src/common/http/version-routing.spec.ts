import { routeVersionedUrl, UNSUPPORTED_VERSION_PATH } from './version-routing';

describe('routeVersionedUrl', () => {
  it.each([
    ['/nodes', '/latest/nodes'],
    ['/latest/nodes', '/latest/nodes'],
    ['/v0/nodes?kind=x', '/latest/nodes?kind=x'],
    ['/', '/latest'],
    ['/latest/', '/latest'],
    ['/v0/', '/latest'],
    ['/latest/?x=1', '/latest?x=1'],
    ['/v0', '/latest'],
    ['/latest//events', '/latest/events'],
    ['//latest/nodes', '/latest/nodes'],
    ['//v0/count', '/latest/count'],
    ['//viewer?node_id=x', '/latest/viewer?node_id=x'],
    ['/latest//whoami', '/latest/whoami'],
    ['/viewer', '/latest/viewer'],
    ['/nodes?a=//b', '/latest/nodes?a=//b'],
    ['/latestx', '/latest/latestx'],
  ])('%s → %s', (input, expected) => {
    expect(routeVersionedUrl(input)).toEqual({ url: expected });
  });

  it.each([
    ['/v1/nodes', 'v1'],
    ['/v0.1/nodes', 'v0.1'],
    ['//v2/x', 'v2'],
    ['/v10', 'v10'],
  ])('%s is an unsupported version %s', (input, version) => {
    expect(routeVersionedUrl(input)).toEqual({ url: UNSUPPORTED_VERSION_PATH, unsupportedVersion: version });
  });
});
