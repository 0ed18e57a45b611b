import type { Form, FormValues } from '../messaging/message.js';

/**
 * The form with every chosen value among its options. A form drawn without its data (the database away: options
 * such as the working days after a due date come from it) would otherwise drop what the person had picked.
 */
export function withTypedChoices(form: Form, values: FormValues): Form {
  const fields = form.fields.map((field) => {
    if (field.kind !== 'choice' && field.kind !== 'multiChoice' && field.kind !== 'member') return field;
    const typed = values[field.id];
    if (!typed) return field;
    const options = field.options ?? [];
    const chosen = field.kind === 'multiChoice' ? typed.split(',') : [typed];
    const missing = chosen.filter((value) => !options.some((option) => option.value === value));
    if (missing.length === 0) return field;
    return { ...field, options: [...options, ...missing.map((value) => ({ value, label: value }))] };
  });
  return { ...form, fields };
}
