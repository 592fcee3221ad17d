import { describe, expect, it } from 'vitest';
import { formFieldsOfRows, readBuilderValue, rowProblems, rowsOfSchema, schemaOfRows, type FieldRow } from './form-builder';

const row = (patch: Partial<FieldRow>): FieldRow => ({ key: 'k', label: 'K', type: 'string', required: false, options: [], description: '', defaultValue: undefined, ...patch });

describe('form builder model', () => {
  it('reads a schema into rows and writes the same schema back, keeping what no row edits', () => {
    const schema = {
      type: 'object',
      properties: {
        approved: { type: 'boolean', title: 'Approved?' },
        amount: { type: 'integer', minimum: 0, description: 'In euros', default: 10 },
        level: { type: 'string', enum: ['low', 'high'] },
        lines: { type: 'array', items: { type: 'string' } },
      },
      required: ['approved', 'lines'],
      additionalProperties: false,
    };
    const { rows, kept } = rowsOfSchema(schema);
    expect(kept).toEqual(['lines']);
    expect(rows.map(({ key, label, type, required, description, defaultValue }) => ({ key, label, type, required, description, defaultValue }))).toEqual([
      { key: 'approved', label: 'Approved?', type: 'boolean', required: true, description: '', defaultValue: undefined },
      { key: 'amount', label: '', type: 'number', required: false, description: 'In euros', defaultValue: 10 },
      { key: 'level', label: '', type: 'enum', required: false, description: '', defaultValue: undefined },
    ]);
    expect(schemaOfRows(rows, schema)).toEqual(schema);
  });

  it('drops the keywords of the old type when a row changes type', () => {
    const schema = { type: 'object', properties: { amount: { type: 'integer', minimum: 0 } } };
    const [amount] = rowsOfSchema(schema).rows;
    expect(schemaOfRows([{ ...(amount as FieldRow), type: 'string' }], schema)).toEqual({ type: 'object', properties: { amount: { type: 'string' } } });
  });

  it('writes user-task form fields, options only for a choice', () => {
    expect(formFieldsOfRows([row({ key: 'a', type: 'enum', options: [{ value: 'x', label: '' }] }), row({ key: 'b', options: [{ value: 'y', label: 'Y' }] })])).toEqual([
      { key: 'a', label: 'K', type: 'enum', required: false, options: [{ value: 'x', label: 'x' }] },
      { key: 'b', label: 'K', type: 'string', required: false },
    ]);
  });

  it('names what is wrong with the rows, field by field', () => {
    const problems = rowProblems(
      [row({ key: '' }), row({ key: '1x' }), row({ key: 'a' }), row({ key: 'a', label: '' }), row({ key: 'c', type: 'enum' }), row({ key: 'd', type: 'number', defaultValue: 'x' })],
      'form-fields',
    );
    expect(problems).toEqual([
      { message: 'keyMissing', params: { index: 1 } },
      { message: 'keyInvalid', params: { index: 2, key: '1x' } },
      { message: 'keyDuplicate', params: { index: 4, key: 'a' } },
      { message: 'labelMissing', params: { index: 4 } },
      { message: 'optionsMissing', params: { index: 5 } },
      { message: 'defaultType', params: { index: 6 } },
    ]);
  });

  it('explains a wrong user-task form by field and property, with the expected shape', () => {
    const read = readBuilderValue([{ key: 'a', label: 'A', type: 'string' }, { id: 'x', key: 'b', label: 'B', type: 'string' }], 'form-fields');
    expect(read).toMatchObject({ ok: false, problem: { message: 'formShape', detail: { message: 'unknownProperty', params: { index: 2, property: 'id' } } } });
    expect(readBuilderValue([{ key: 'a', type: 'string' }], 'form-fields')).toMatchObject({ ok: false, problem: { detail: { message: 'missingProperty', params: { index: 1, property: 'label' } } } });
    expect(readBuilderValue([{ key: 'a', label: 'A', type: 'text' }], 'form-fields')).toMatchObject({ ok: false, problem: { detail: { message: 'badType' } } });
    expect(readBuilderValue({ key: 'a' }, 'form-fields')).toMatchObject({ ok: false, problem: { detail: { message: 'notList' } } });
    // A schema not set yet is an empty form, not a wrong value: no error, no switch to raw JSON.
    expect(readBuilderValue(undefined, 'schema')).toEqual({ ok: true, rows: [], kept: [] });
    expect(readBuilderValue('text', 'schema')).toMatchObject({ ok: false, problem: { message: 'schemaShape' } });
    expect(readBuilderValue({ properties: {} }, 'schema')).toMatchObject({ ok: false, problem: { message: 'schemaShape' } });
  });
});
