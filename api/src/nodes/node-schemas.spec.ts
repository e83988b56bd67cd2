import { KINDS, NODE_KINDS, NODE_STATES, STATE_TRANSITIONS } from './node-definitions';
import { dataSchemaName, definitionSchemas } from './node-schemas';
import { checkTransition } from './node-state';
import { validateNodeKind } from './node-kinds';

describe('node definitions as OpenAPI schemas', () => {
  const schemas = definitionSchemas();

  it('publishes the state machine the API enforces', () => {
    const published = schemas.NodeStateTransitions.properties as Record<string, { items: { enum: string[] } }>;
    for (const from of NODE_STATES) {
      expect(published[from]!.items.enum).toEqual(STATE_TRANSITIONS[from]);
      for (const to of NODE_STATES) {
        const allowed = from === to || published[from]!.items.enum.includes(to);
        if (allowed) expect(() => checkTransition(from, to)).not.toThrow();
        else expect(() => checkTransition(from, to)).toThrow(`Transition not allowed with state: ${to}`);
      }
    }
  });

  it('publishes each kind data model with the fields the validator reads', () => {
    expect(Object.keys(schemas.NodeKindData.properties!)).toEqual([...NODE_KINDS]);
    for (const kind of NODE_KINDS) {
      const schema = schemas[dataSchemaName(kind)]!;
      const fields = KINDS[kind].data;
      expect(Object.keys(schema.properties ?? {})).toEqual(fields ? Object.keys(fields) : []);
      expect(schema.additionalProperties).toBe(true);
    }
    // The field the SDK once typed as `architectures` is `architecture_filter`.
    expect(Object.keys(schemas.CheckoutData.properties!)).toContain('architecture_filter');
  });

  it('names the enumerations the validator checks', () => {
    expect(schemas.NodeKind.enum).toEqual([...NODE_KINDS]);
    const codes = schemas.ErrorCode.enum as string[];
    for (const code of codes) {
      expect(() => validateNodeKind({ kind: 'kbuild', data: { error_code: code } }, 'generic')).not.toThrow();
    }
    expect(() => validateNodeKind({ kind: 'kbuild', data: { error_code: 'not-a-code' } }, 'generic')).toThrow(/error_code/);
    expect(schemas.KernelVersion.required).toEqual(['version', 'patchlevel']);
    expect(schemas.Revision.required).toEqual(['tree', 'url', 'branch', 'commit']);
  });
});
