import { UnauthorizedError } from '../common/errors/domain-errors';
import { NodeEditPolicy } from './node-edit.policy';

describe('NodeEditPolicy (contract §6.7, §2.3 editor level)', () => {
  const policy = new NodeEditPolicy();
  const node = { owner: 'alice', user_groups: ['team-a'], data: { runtime: 'lava' } };
  const user = (username: string, groups: string[] = []) => ({ username, isSuperuser: false, groups: groups.map((name, i) => ({ id: String(i), name })) });

  it('lets an editor through', () => {
    expect(() => policy.assertCanEditNode(user('alice'), node)).not.toThrow();
    expect(() => policy.assertCanEditNode(user('bob', ['runtime:lava:node-editor']), node)).not.toThrow();
  });

  it('answers 401 `Unauthorized to complete the operation` to anyone else', () => {
    let error: unknown;
    try {
      policy.assertCanEditNode(user('bob', ['team-b']), node);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error).toMatchObject({ status: 401, detail: 'Unauthorized to complete the operation' });
  });
});
