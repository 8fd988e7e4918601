import { describe, expect, it } from 'vitest';
import { parameterFields } from '@flowlight/schema';
import { initialValues, issuesByField, toParameters } from './parameterForm';

const schema = {
  type: 'object',
  properties: {
    city: { type: 'string', minLength: 2 },
    days: { type: 'integer', minimum: 1, default: 3 },
    unit: { type: 'string', enum: ['c', 'f'] },
    notify: { type: 'boolean' },
    tags: { type: 'array', items: { type: 'number' } },
    extra: { type: 'object' },
  },
  required: ['city', 'days', 'unit'],
};
const fields = parameterFields(schema);

describe('the Run form', () => {
  it('starts from the deployment parameters, else the schema defaults', () => {
    expect(initialValues(fields, { city: 'Oslo', tags: [1, 2], extra: { a: 1 } })).toEqual({
      city: 'Oslo',
      days: '3',
      unit: '',
      notify: false,
      tags: '1, 2',
      extra: '{\n  "a": 1\n}',
    });
  });

  it('turns the inputs into typed parameters, leaving empty optional fields out', () => {
    const out = toParameters(fields, { city: 'Rome', days: '5', unit: 'f', notify: true, tags: '1, 2.5', extra: '' });
    expect(out).toEqual({ parameters: { city: 'Rome', days: 5, unit: 'f', notify: true, tags: [1, 2.5] }, errors: {} });
  });

  it('names each field that does not fit', () => {
    expect(toParameters(fields, { city: 'Rome', days: 'many', unit: 'c' }).errors).toEqual({ days: 'Enter a whole number' });
    const out = toParameters(fields, { city: 'R', days: '1.5', unit: '', notify: false, tags: 'x', extra: '{' });
    expect(out.errors).toEqual({
      city: 'Must have at least 2 characters',
      days: 'Expected a whole number',
      unit: 'Required',
      tags: 'Item 1: expected a number, got string',
      extra: 'Not valid JSON',
    });
  });

  it("places the API's issues next to their fields", () => {
    expect(issuesByField([{ path: 'parameters.days', message: 'too many' }, { path: 'scheduledTime', message: 'bad' }], fields)).toEqual({
      byField: { days: 'too many' },
      other: ['scheduledTime: bad'],
    });
  });
});
