// Slack's external file upload, as FakeSlackApi plays it: files.getUploadURLExternal hands out an upload URL on the
// fake's own host, the bytes are POSTed there (answered "OK - <length>" like files.slack.com), and
// files.completeUploadExternal shares the uploaded files into one conversation.

export interface FakeSlackUpload {
  fileId: string;
  filename: string;
  /** The length the caller announced. */
  length: number;
  altText?: string;
  /** The bytes that arrived at the upload URL, once they did. */
  bytes?: Buffer;
  /** Set by files.completeUploadExternal. */
  shared?: { channel?: string; threadTs?: string; title?: string };
}

type Answer = { status: number; body: Record<string, unknown> };

export const UPLOAD_PATH_PREFIX = '/upload/v1/';

export class FakeSlackFiles {
  private readonly uploads = new Map<string, FakeSlackUpload>();
  private counter = 0;

  constructor(private readonly uploadUrlFor: (fileId: string) => string) {}

  all(): FakeSlackUpload[] {
    return [...this.uploads.values()];
  }

  reset(): void {
    this.uploads.clear();
  }

  /** files.getUploadURLExternal: `filename` and a positive integer `length` are required. */
  grantUploadUrl(body: Record<string, unknown>): Answer {
    const filename = typeof body.filename === 'string' ? body.filename.trim() : '';
    const length = Number(body.length);
    if (!filename || !Number.isInteger(length) || length <= 0) return { status: 200, body: { ok: false, error: 'invalid_arguments' } };
    this.counter += 1;
    const fileId = `F${String(this.counter).padStart(10, '0')}`;
    const altText = typeof body.alt_text === 'string' ? body.alt_text : typeof body.alt_txt === 'string' ? body.alt_txt : undefined;
    this.uploads.set(fileId, { fileId, filename, length, ...(altText ? { altText } : {}) });
    return { status: 200, body: { ok: true, upload_url: this.uploadUrlFor(fileId), file_id: fileId } };
  }

  /**
   * The POST of the bytes to an upload URL: raw bytes, or multipart form data (what Slack's own filesUploadV2 sends).
   * Unknown ids get 404, like an expired upload URL.
   */
  receiveBytes(fileId: string, raw: Buffer, contentType: string | undefined): { status: number; text: string } {
    const upload = this.uploads.get(fileId);
    if (!upload) return { status: 404, text: 'Not Found' };
    const bytes = contentType?.startsWith('multipart/form-data') ? firstFormPart(raw, contentType) : raw;
    if (!bytes) return { status: 400, text: 'Bad Request' };
    upload.bytes = bytes;
    return { status: 200, text: `OK - ${bytes.length}` };
  }

  /**
   * files.completeUploadExternal. `files` must list ids whose bytes arrived (else `file_not_found`); `channel_id` must be
   * a conversation id, not a user id (else `channel_not_found`). Returns the shared files, Slack-style.
   */
  complete(body: Record<string, unknown>): Answer & { channel?: string; files?: FakeSlackUpload[] } {
    const listed = Array.isArray(body.files) ? body.files : undefined;
    if (!listed || listed.length === 0) return { status: 200, body: { ok: false, error: 'invalid_arguments' } };
    const channel = typeof body.channel_id === 'string' && body.channel_id !== '' ? body.channel_id : undefined;
    if (channel && !/^[CDG][A-Z0-9]+$/.test(channel)) return { status: 200, body: { ok: false, error: 'channel_not_found' } };
    const files: FakeSlackUpload[] = [];
    for (const entry of listed) {
      const id = typeof entry === 'object' && entry !== null ? (entry as { id?: unknown }).id : undefined;
      const upload = typeof id === 'string' ? this.uploads.get(id) : undefined;
      if (!upload?.bytes) return { status: 200, body: { ok: false, error: 'file_not_found' } };
      const title = (entry as { title?: unknown }).title;
      upload.shared = { channel, threadTs: typeof body.thread_ts === 'string' ? body.thread_ts : undefined, title: typeof title === 'string' ? title : upload.filename };
      files.push(upload);
    }
    const described = files.map((f) => ({ id: f.fileId, name: f.filename, title: f.shared?.title, size: f.bytes?.length, channels: channel ? [channel] : [] }));
    return { status: 200, body: { ok: true, files: described }, channel, files };
  }
}

/** The content of the first part of a multipart/form-data body. */
function firstFormPart(raw: Buffer, contentType: string): Buffer | undefined {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  const delimiter = boundary ? `--${boundary[1] ?? boundary[2]}` : undefined;
  if (!delimiter) return undefined;
  const start = raw.indexOf(delimiter);
  const headersEnd = raw.indexOf('\r\n\r\n', start);
  const end = raw.indexOf(`\r\n${delimiter}`, headersEnd);
  if (start < 0 || headersEnd < 0 || end < 0) return undefined;
  return raw.subarray(headersEnd + 4, end);
}
