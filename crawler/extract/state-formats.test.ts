import { describe, expect, it } from 'vitest';
import { angularState, astroProps, flightRows } from './state-formats.ts';

const push = (chunk: string) => `self.__next_f.push(${JSON.stringify([1, chunk])})`;

describe('flightRows', () => {
  it('joins the chunks of every script and reads the rows that are JSON', () => {
    const row = JSON.stringify(['$', 'div', null, { product: { name: 'Grinder', price: 329 } }]);
    const scripts = [
      `(self.__next_f=self.__next_f||[]).push([0]);${push(`0:["$","$L1",null,{}]\n1a:T42,some text\n5:${row.slice(0, 20)}`)}`,
      push(`${row.slice(20)}\n6:I["chunks/app.js",["app"],"default"]\n`),
    ];
    expect(flightRows(scripts)).toEqual([
      ['$', '$L1', null, {}],
      ['$', 'div', null, { product: { name: 'Grinder', price: 329 } }],
    ]);
  });

  it('reads nothing from scripts without the payload, or from a chunk that is not JSON', () => {
    expect(flightRows(['window.x = 1', "self.__next_f.push([1,'5:{}'])"])).toEqual([]);
  });
});

describe('angularState', () => {
  it('unescapes the transfer state older Angular versions wrote, and leaves other text alone', () => {
    expect(
      JSON.parse(angularState('{&q;G.url?/api&q;:{&q;body&q;:{&q;name&q;:&q;Kask &a; co&s;&q;}}}')),
    ).toEqual({
      'G.url?/api': { body: { name: "Kask & co'" } },
    });
    expect(angularState('{"a":"&q;"}')).toBe('{"a":"&q;"}');
  });
});

describe('astroProps', () => {
  it('decodes the [type, value] pairs of an island’s props', () => {
    const props = {
      product: [0, { name: [0, 'Ullpläd'], price: [0, 1195], variants: [1, [[0, { sku: [0, 'A'] }]]] }],
      added: [3, '2024-05-01T00:00:00.000Z'],
    };
    expect(astroProps(props)).toEqual({
      product: { name: 'Ullpläd', price: 1195, variants: [{ sku: 'A' }] },
      added: '2024-05-01T00:00:00.000Z',
    });
  });
});
