// Slack's documented Block Kit limits, the truncation the renderers use to stay inside them,
// and a checker for tests (Slack has no offline validator, so we check the limits ourselves).

export const SLACK_LIMITS = {
  messageBlocks: 50,
  modalBlocks: 100,
  messageText: 40_000,
  sectionText: 3000,
  headerText: 150,
  fieldsPerSection: 10,
  fieldText: 2000,
  contextElements: 10,
  contextText: 3000,
  actionsElements: 25,
  buttonText: 75,
  actionId: 255,
  blockId: 255,
  buttonValue: 2000,
  buttonUrl: 3000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  modalTitle: 24,
  modalButton: 24,
  callbackId: 255,
  privateMetadata: 3000,
  inputLabel: 2000,
  inputHint: 2000,
  placeholder: 150,
  optionText: 75,
  optionValue: 150,
  options: 100,
  optionGroups: 100,
  radioOptions: 10,
  plainTextInputMaxLength: 3000,
} as const;

const ELLIPSIS = '…';

/** Cuts to at most `max` characters, ending in an ellipsis, never splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = max - ELLIPSIS.length;
  if (/[\uD800-\uDBFF]/.test(text.charAt(cut - 1))) cut -= 1;
  return text.slice(0, Math.max(cut, 0)) + ELLIPSIS;
}

/** Like truncate, but does not leave half an escape such as "&am" at the cut. */
export function truncateMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = truncate(text, max).slice(0, -ELLIPSIS.length);
  return cut.replace(/&[a-z]{0,3}$/, '') + ELLIPSIS;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const textOf = (value: unknown): string | undefined =>
  isObject(value) && typeof value['text'] === 'string' ? value['text'] : undefined;

/**
 * Lists every documented limit a message's blocks (an array) or a modal view (an object) breaks.
 * Empty when Slack would accept it as far as its published limits go.
 */
export function checkBlockKitLimits(blocksOrView: unknown): string[] {
  const problems: string[] = [];
  const seenActionIds = new Set<string>();
  const seenBlockIds = new Set<string>();
  let blocks: unknown;
  let maxBlocks: number;
  if (Array.isArray(blocksOrView)) {
    blocks = blocksOrView;
    maxBlocks = SLACK_LIMITS.messageBlocks;
  } else if (isObject(blocksOrView)) {
    blocks = blocksOrView['blocks'];
    maxBlocks = SLACK_LIMITS.modalBlocks;
    checkView(blocksOrView, problems);
  } else {
    return ['expected a block array or a view object'];
  }
  if (!Array.isArray(blocks)) return [...problems, 'blocks must be an array'];
  if (blocks.length > maxBlocks) problems.push(`${blocks.length} blocks (max ${maxBlocks})`);
  blocks.forEach((block, index) => {
    const at = `blocks[${index}]`;
    if (!isObject(block)) {
      problems.push(`${at} is not an object`);
      return;
    }
    const blockId = block['block_id'];
    if (typeof blockId === 'string') {
      if (blockId.length > SLACK_LIMITS.blockId) problems.push(`${at}.block_id longer than ${SLACK_LIMITS.blockId}`);
      if (seenBlockIds.has(blockId)) problems.push(`${at}.block_id "${blockId}" is not unique`);
      seenBlockIds.add(blockId);
    }
    checkBlock(block, at, problems, seenActionIds);
  });
  return problems;
}

function checkView(view: Json, problems: string[]): void {
  checkText(view['title'], 'view.title', SLACK_LIMITS.modalTitle, problems, true);
  checkText(view['submit'], 'view.submit', SLACK_LIMITS.modalButton, problems, false);
  checkText(view['close'], 'view.close', SLACK_LIMITS.modalButton, problems, false);
  const metadata = view['private_metadata'];
  if (typeof metadata === 'string' && metadata.length > SLACK_LIMITS.privateMetadata) {
    problems.push(`view.private_metadata longer than ${SLACK_LIMITS.privateMetadata}`);
  }
  const callbackId = view['callback_id'];
  if (typeof callbackId === 'string' && callbackId.length > SLACK_LIMITS.callbackId) {
    problems.push(`view.callback_id longer than ${SLACK_LIMITS.callbackId}`);
  }
  const hasInput = Array.isArray(view['blocks']) && view['blocks'].some((b) => isObject(b) && b['type'] === 'input');
  if (hasInput && view['submit'] === undefined) problems.push('view with input blocks needs a submit button');
}

function checkText(value: unknown, at: string, max: number, problems: string[], required: boolean): void {
  if (value === undefined) {
    if (required) problems.push(`${at} is missing`);
    return;
  }
  const text = textOf(value);
  if (text === undefined) problems.push(`${at} is not a text object`);
  else if (text.length === 0) problems.push(`${at} is empty`);
  else if (text.length > max) problems.push(`${at} has ${text.length} characters (max ${max})`);
}

function checkBlock(block: Json, at: string, problems: string[], seenActionIds: Set<string>): void {
  switch (block['type']) {
    case 'header':
      checkText(block['text'], `${at}.text`, SLACK_LIMITS.headerText, problems, true);
      if (isObject(block['text']) && block['text']['type'] !== 'plain_text') problems.push(`${at}.text must be plain_text`);
      break;
    case 'section': {
      const fields = block['fields'];
      checkText(block['text'], `${at}.text`, SLACK_LIMITS.sectionText, problems, fields === undefined);
      if (Array.isArray(fields)) {
        if (fields.length > SLACK_LIMITS.fieldsPerSection) problems.push(`${at} has ${fields.length} fields (max 10)`);
        fields.forEach((field, i) => checkText(field, `${at}.fields[${i}]`, SLACK_LIMITS.fieldText, problems, true));
      }
      break;
    }
    case 'context': {
      const elements = Array.isArray(block['elements']) ? block['elements'] : [];
      if (elements.length === 0 || elements.length > SLACK_LIMITS.contextElements) {
        problems.push(`${at} has ${elements.length} elements (1 to ${SLACK_LIMITS.contextElements})`);
      }
      elements.forEach((el, i) => checkText(el, `${at}.elements[${i}]`, SLACK_LIMITS.contextText, problems, true));
      break;
    }
    case 'actions': {
      const elements = Array.isArray(block['elements']) ? block['elements'] : [];
      if (elements.length === 0 || elements.length > SLACK_LIMITS.actionsElements) {
        problems.push(`${at} has ${elements.length} elements (1 to ${SLACK_LIMITS.actionsElements})`);
      }
      elements.forEach((el, i) => checkElement(el, `${at}.elements[${i}]`, problems, seenActionIds));
      break;
    }
    case 'input':
      checkText(block['label'], `${at}.label`, SLACK_LIMITS.inputLabel, problems, true);
      checkText(block['hint'], `${at}.hint`, SLACK_LIMITS.inputHint, problems, false);
      checkElement(block['element'], `${at}.element`, problems, seenActionIds);
      break;
    case 'divider':
      break;
    default:
      problems.push(`${at} has a block type the renderers do not produce: ${String(block['type'])}`);
  }
}

function checkElement(element: unknown, at: string, problems: string[], seenActionIds: Set<string>): void {
  if (!isObject(element)) {
    problems.push(`${at} is missing`);
    return;
  }
  const actionId = element['action_id'];
  if (typeof actionId === 'string') {
    if (actionId.length > SLACK_LIMITS.actionId) problems.push(`${at}.action_id longer than ${SLACK_LIMITS.actionId}`);
    if (seenActionIds.has(actionId)) problems.push(`${at}.action_id "${actionId}" is not unique`);
    seenActionIds.add(actionId);
  }
  checkText(element['placeholder'], `${at}.placeholder`, SLACK_LIMITS.placeholder, problems, false);
  switch (element['type']) {
    case 'button':
      checkButton(element, at, problems);
      break;
    case 'plain_text_input': {
      const maxLength = element['max_length'];
      const initial = element['initial_value'];
      const limit = typeof maxLength === 'number' ? maxLength : SLACK_LIMITS.plainTextInputMaxLength;
      if (limit > SLACK_LIMITS.plainTextInputMaxLength) problems.push(`${at}.max_length above 3000`);
      if (typeof initial === 'string' && initial.length > limit) problems.push(`${at}.initial_value longer than max_length`);
      break;
    }
    case 'static_select':
    case 'multi_static_select':
      checkOptions(element, at, problems, SLACK_LIMITS.options);
      break;
    case 'radio_buttons':
    case 'checkboxes':
      checkOptions(element, at, problems, SLACK_LIMITS.radioOptions);
      break;
    case 'number_input': {
      const initial = element['initial_value'];
      if (initial !== undefined && !(typeof initial === 'string' && /^[+-]?(\d+(\.\d+)?|\.\d+)$/.test(initial))) problems.push(`${at}.initial_value is not a number`);
      break;
    }
    case 'url_text_input':
      break;
    case 'datepicker': {
      const initial = element['initial_date'];
      if (initial !== undefined && !(typeof initial === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(initial))) {
        problems.push(`${at}.initial_date is not YYYY-MM-DD`);
      }
      break;
    }
    default:
      problems.push(`${at} has an element type the renderers do not produce: ${String(element['type'])}`);
  }
}

/** Options (or option groups) of a select, radio or checkbox element, and its initial choices among them. */
function checkOptions(element: Json, at: string, problems: string[], max: number): void {
  const groups = Array.isArray(element['option_groups']) ? element['option_groups'] : undefined;
  const lists: [string, unknown[]][] = groups
    ? groups.map((group, g) => [`${at}.option_groups[${g}]`, isObject(group) && Array.isArray(group['options']) ? group['options'] : []])
    : [[at, Array.isArray(element['options']) ? element['options'] : []]];
  if (groups) {
    if (groups.length === 0 || groups.length > SLACK_LIMITS.optionGroups) problems.push(`${at} has ${groups.length} option groups (1 to ${SLACK_LIMITS.optionGroups})`);
    groups.forEach((group, g) => checkText(isObject(group) ? group['label'] : undefined, `${at}.option_groups[${g}].label`, SLACK_LIMITS.optionText, problems, true));
  }
  const values = new Set<string>();
  for (const [where, options] of lists) {
    if (options.length === 0 || options.length > max) problems.push(`${where} has ${options.length} options (1 to ${max})`);
    options.forEach((option, i) => {
      checkText(isObject(option) ? option['text'] : undefined, `${where}.options[${i}].text`, SLACK_LIMITS.optionText, problems, true);
      const value = isObject(option) ? option['value'] : undefined;
      if (typeof value !== 'string' || value.length > SLACK_LIMITS.optionValue) problems.push(`${where}.options[${i}].value missing or over 150`);
      else values.add(value);
    });
  }
  const initial = [element['initial_option'], ...(Array.isArray(element['initial_options']) ? element['initial_options'] : [])].filter((o) => o !== undefined);
  for (const option of initial) {
    const value = isObject(option) ? option['value'] : undefined;
    if (typeof value !== 'string' || !values.has(value)) problems.push(`${at} has an initial option that is not one of its options`);
  }
}

function checkButton(button: Json, at: string, problems: string[]): void {
  checkText(button['text'], `${at}.text`, SLACK_LIMITS.buttonText, problems, true);
  const value = button['value'];
  if (typeof value === 'string' && value.length > SLACK_LIMITS.buttonValue) problems.push(`${at}.value longer than 2000`);
  const url = button['url'];
  if (typeof url === 'string' && url.length > SLACK_LIMITS.buttonUrl) problems.push(`${at}.url longer than 3000`);
  const style = button['style'];
  if (style !== undefined && style !== 'primary' && style !== 'danger') problems.push(`${at}.style must be primary or danger`);
  const confirm = button['confirm'];
  if (confirm === undefined) return;
  if (!isObject(confirm)) {
    problems.push(`${at}.confirm is not an object`);
    return;
  }
  checkText(confirm['title'], `${at}.confirm.title`, SLACK_LIMITS.confirmTitle, problems, true);
  checkText(confirm['text'], `${at}.confirm.text`, SLACK_LIMITS.confirmText, problems, true);
  checkText(confirm['confirm'], `${at}.confirm.confirm`, SLACK_LIMITS.confirmButton, problems, true);
  checkText(confirm['deny'], `${at}.confirm.deny`, SLACK_LIMITS.confirmButton, problems, true);
}
