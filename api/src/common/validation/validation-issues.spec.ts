import 'reflect-metadata';
import { plainToInstance, Type } from 'class-transformer';
import { IsArray, IsDefined, IsIn, IsString, ValidateNested, validateSync } from 'class-validator';
import { IsObjectIdOrNull } from './decorators';
import { toValidationIssues } from './validation-issues';

class Leaf {
  @IsString() name!: string;
  @IsIn(['a', 'b']) mode!: string;
  @IsObjectIdOrNull() ref?: string | null;
}

class Tree {
  @IsDefined() @ValidateNested() @Type(() => Leaf) leaf!: Leaf;
  @IsArray() @ValidateNested({ each: true }) @Type(() => Tree) children!: Tree[];
}

function issues(body: object, root: 'body' | 'query' | 'path' = 'body') {
  return toValidationIssues(validateSync(plainToInstance(Tree, body), { whitelist: true, forbidUnknownValues: false }), root);
}

describe('toValidationIssues', () => {
  it('gives nothing for a valid body', () => {
    expect(issues({ leaf: { name: 'n', mode: 'a' }, children: [] })).toEqual([]);
  });

  it('locates errors under the root with pydantic-like types and the input', () => {
    expect(issues({ leaf: { name: 5, mode: 'c', ref: 'x' }, children: [] })).toEqual([
      { type: 'string_type', loc: ['body', 'leaf', 'name'], msg: 'name must be a string', input: 5 },
      { type: 'enum', loc: ['body', 'leaf', 'mode'], msg: 'mode must be one of the following values: a, b', input: 'c' },
      { type: 'object_id', loc: ['body', 'leaf', 'ref'], msg: 'Invalid ObjectId: x', input: 'x' },
    ]);
  });

  it('reports an absent required field once, as missing', () => {
    expect(issues({ children: [] })).toEqual([{ type: 'missing', loc: ['body', 'leaf'], msg: 'Field required' }]);
  });

  it('uses numeric array positions through nested levels', () => {
    const result = issues({
      leaf: { name: 'n', mode: 'a' },
      children: [
        { leaf: { name: 'ok', mode: 'a' }, children: [] },
        { leaf: { name: 'ok', mode: 'a' }, children: [{ leaf: { name: 'n', mode: 'a' } }] },
        'not an object',
      ],
    });
    expect(result).toEqual([
      { type: 'missing', loc: ['body', 'children', 1, 'children', 0, 'children'], msg: 'Field required' },
      expect.objectContaining({ type: 'model_type', loc: ['body', 'children', 2], input: 'not an object' }),
    ]);
  });

  it('uses the given root', () => {
    expect(issues({ children: [] }, 'query')[0].loc).toEqual(['query', 'leaf']);
  });

  it('turns other constraint names into snake_case', () => {
    const error = { property: 'x', value: 1, constraints: { isNotEmptyObject: 'x must be a non-empty object' }, children: [] };
    expect(toValidationIssues([error], 'body')).toEqual([
      { type: 'is_not_empty_object', loc: ['body', 'x'], msg: 'x must be a non-empty object', input: 1 },
    ]);
  });
});
