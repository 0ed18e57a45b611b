// The tightest platform limits the neutral forms code must respect (Slack's; Teams allows more).

/** A button's value (the "Open form" button carries the form's state). */
export const SLACK_BUTTON_VALUE_MAX = 2000;
/** A modal's private_metadata, which carries the form state. */
export const FORM_STATE_MAX = 3000;
/** An option's value. */
export const OPTION_VALUE_MAX = 150;
/** A plain text input's max_length. */
export const TEXT_INPUT_MAX = 3000;
/** Questions on one page: each may take two of a modal's 100 blocks (the input and an error under it). */
export const FIELDS_PER_PAGE_MAX = 45;
