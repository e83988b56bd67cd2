import { compileFilter } from '@maestro-ci/sdk';
import { parseCondition, toEventFilter, toNodeFilter } from './query';

const compiled = (...terms: string[]): string[] => compileFilter(toNodeFilter(terms.map(parseCondition))).params.map(([k, v]) => `${k}=${v}`);

describe('query language', () => {
  it('passes the server syntax through, with its literals', () => {
    expect(compiled('kind=test', 'state=done', 'data.platform=qemu')).toEqual(['data.platform=qemu', 'kind=test', 'state=done']);
    expect(compiled('result=null')).toEqual(['result=null']);
    expect(compiled('state__in=running,done')).toEqual(['state__in=running,done']);
    expect(compiled('name__re=^kunit')).toEqual(['name__re=^kunit']);
    expect(compiled('data.kernel_revision.version.version__int=6')).toEqual(['data.kernel_revision.version.version__int=6']);
  });

  it('offers shorthands for comparisons and regular expressions', () => {
    expect(compiled('created>=2026-11-01', 'created<2026-12-01')).toEqual(['created__gte=2026-11-01T00:00:00+00:00', 'created__lt=2026-12-01T00:00:00+00:00']);
    expect(compiled('retry_counter>2')).toEqual(['retry_counter__gt=2']);
    expect(compiled('state!=done')).toEqual(['state__ne=done']);
    expect(compiled('name~^baseline')).toEqual(['name__re=^baseline']);
    expect(parseCondition('name~a=b')).toEqual({ field: 'name', op: 're', value: 'a=b' });
    expect(parseCondition('data.x=a>b')).toEqual({ field: 'data.x', op: 'eq', value: 'a>b' });
  });

  it('refuses what is not a condition', () => {
    expect(() => parseCondition('kind')).toThrow("'kind' is not a condition");
    expect(() => parseCondition('=x')).toThrow('is not a condition');
    expect(() => parseCondition('kind__exists=1')).toThrow("unknown operator '__exists'");
    expect(() => parseCondition('$where=1')).toThrow('is not a field name');
    expect(() => toNodeFilter([parseCondition('retry_counter__int=x')])).toThrow('needs an integer');
  });

  it('builds event filters from equality conditions on event keys', () => {
    expect(toEventFilter(['kind=job', 'state=done,available'].map(parseCondition))).toEqual({ kind: 'job', state: ['done', 'available'] });
    expect(() => toEventFilter([parseCondition('data.platform=qemu')])).toThrow('watch filters on kind, state');
    expect(() => toEventFilter([parseCondition('state!=done')])).toThrow("with '=' only");
  });
});
