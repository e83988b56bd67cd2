import { PublishEventDto } from '../../events/dto/events.dto';
import { HierarchyNodeDto, NodeInputDto } from '../../nodes/dto/node.dto';
import { RequestValidationPipe } from './request-validation.pipe';

const pipe = new RequestValidationPipe();
const body = (text: string) => JSON.parse(text) as unknown;

describe('RequestValidationPipe and free-form values', () => {
  it('keeps keys named constructor and __proto__ in data exactly as sent', async () => {
    const raw = body('{"kind":"checkout","name":"c","path":["c"],"data":{"constructor":1,"__proto__":{"a":1},"toString":"x"},"debug":{"constructor":{"constructor":[1]}}}');
    const dto = (await pipe.transform(raw, { type: 'body', metatype: NodeInputDto })) as NodeInputDto;
    expect(dto).toBeInstanceOf(NodeInputDto);
    expect(Object.keys(dto.data!)).toEqual(['constructor', '__proto__', 'toString']);
    expect(dto.data).toBe((raw as { data: unknown }).data);
    expect(dto.debug).toEqual({ constructor: { constructor: [1] } });
  });

  it('keeps them at every level of a hierarchy submission', async () => {
    const raw = body('{"node":{"kind":"checkout","name":"r","path":["r"],"data":{"constructor":1}},"child_nodes":[{"node":{"kind":"kbuild","name":"k","path":["r","k"],"data":{"constructor":2}},"child_nodes":[]}]}');
    const dto = (await pipe.transform(raw, { type: 'body', metatype: HierarchyNodeDto })) as HierarchyNodeDto;
    expect(dto.node.data).toEqual({ constructor: 1 });
    expect(dto.child_nodes[0].node.data).toEqual({ constructor: 2 });
    expect(dto.child_nodes[0]).toBeInstanceOf(HierarchyNodeDto);
  });

  it('keeps event payloads and attributes, and still validates them', async () => {
    const dto = (await pipe.transform(body('{"data":{"constructor":"x"},"attributes":{"constructor":"y"}}'), { type: 'body', metatype: PublishEventDto })) as PublishEventDto;
    expect(dto.data).toEqual({ constructor: 'x' });
    expect(dto.attributes).toEqual({ constructor: 'y' });
    await expect(pipe.transform(body('{"attributes":[1]}'), { type: 'body', metatype: PublishEventDto })).rejects.toMatchObject({
      status: 422,
      detail: [{ loc: ['body', 'attributes'], input: [1] }],
    });
  });
});

describe('RequestValidationPipe and objects where the DTO expects something else', () => {
  it('answers 422, not a crash, for {"constructor": …} in a typed field', async () => {
    const raw = body('{"kind":"checkout","name":"c","path":["c"],"jobfilter":{"constructor":"x"}}');
    await expect(pipe.transform(raw, { type: 'body', metatype: NodeInputDto })).rejects.toMatchObject({ status: 422 });
  });
});
