import { apiRoot, joinApiUrl } from './url';
import { isValidationError } from './errors';

describe('joinApiUrl', () => {
  const id = '65a3982ee98651d0fe82b010';
  it.each([
    ['http://h:8001', `http://h:8001/latest/node/${id}`],
    ['http://h:8001/', `http://h:8001/latest/node/${id}`],
    ['http://h/api', `http://h/api/latest/node/${id}`],
    ['http://h/api/', `http://h/api/latest/node/${id}`],
    ['http://h/api/latest', `http://h/api/latest/node/${id}`],
    ['http://h/api/latest/', `http://h/api/latest/node/${id}`],
    ['http://h/api/v0', `http://h/api/v0/node/${id}`],
    ['https://api.kernelci.org/latest/', `https://api.kernelci.org/latest/node/${id}`],
  ])('%s', (base, expected) => {
    expect(joinApiUrl(base, '/latest', `/node/${id}`)).toBe(expected);
    expect(joinApiUrl(base, undefined, `node/${id}`)).toBe(expected);
  });

  it('keeps a query string in the path', () => {
    expect(joinApiUrl('http://h/api', '/latest', '/nodes?kind=job&limit=1')).toBe('http://h/api/latest/nodes?kind=job&limit=1');
  });

  it('honours a custom prefix and never doubles it', () => {
    expect(joinApiUrl('http://h', 'v0/', '/whoami')).toBe('http://h/v0/whoami');
    expect(joinApiUrl('http://h/v0', '/v0', '/whoami')).toBe('http://h/v0/whoami');
    expect(joinApiUrl('http://h', '', '/whoami')).toBe('http://h/whoami');
  });

  it('joins the root path with a single slash', () => {
    expect(joinApiUrl('http://h/', '/latest', '/')).toBe('http://h/latest/');
    expect(apiRoot('http://h/api//')).toBe('http://h/api/latest');
  });

  it.each(['h:8001/api', 'ftp://h/api', 'http://h/api?x=1', 'http://h/api#frag', 'not a url'])('refuses %s', (base) => {
    expect(() => joinApiUrl(base, '/latest', '/nodes')).toThrow();
    try {
      joinApiUrl(base, '/latest', '/nodes');
    } catch (e) {
      expect(isValidationError(e)).toBe(true);
    }
  });
});
