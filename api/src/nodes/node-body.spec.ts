import { makeNode } from '../storage/contract/fixtures';
import { checkIfMatch } from './node-body';
import { checkTransition } from './node-state';
import { nodeEtag } from './node.mapper';

describe('If-Match', () => {
  const node = makeNode();
  const tag = nodeEtag(node);

  it('passes without the header, with the current tag among others, and with *', () => {
    expect(() => checkIfMatch(undefined, node)).not.toThrow();
    expect(() => checkIfMatch(tag, node)).not.toThrow();
    expect(() => checkIfMatch(`"old", ${tag}`, node)).not.toThrow();
    expect(() => checkIfMatch('*', node)).not.toThrow();
  });

  it('refuses stale and weak tags with 412', () => {
    for (const header of ['"old"', `W/${tag}`, '', tag.slice(1, -1)]) {
      expect(() => checkIfMatch(header, node)).toThrow('Precondition failed: node has been modified');
    }
  });

  it('changes the tag when any field changes', () => {
    expect(nodeEtag({ ...node, retry_counter: 1 })).not.toBe(tag);
    expect(nodeEtag({ ...node, data: { ...node.data, x: 1 } })).not.toBe(tag);
  });
});

describe('state machine', () => {
  it('allows the six moves and staying, and refuses the six others', () => {
    const states = ['running', 'available', 'closing', 'done'] as const;
    const allowed = ['running>available', 'running>closing', 'running>done', 'available>closing', 'available>done', 'closing>done'];
    let refused = 0;
    for (const from of states) {
      for (const to of states) {
        if (from === to || allowed.includes(`${from}>${to}`)) expect(() => checkTransition(from, to)).not.toThrow();
        else {
          expect(() => checkTransition(from, to)).toThrow(`Transition not allowed with state: ${to}`);
          refused++;
        }
      }
    }
    expect(refused).toBe(6);
  });
});
