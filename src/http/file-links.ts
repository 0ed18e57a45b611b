import type { Express, Response } from 'express';
import type { Logger } from '../core/logger.js';
import { attachmentAt, InvalidAttachmentError, type Attachment } from '../messaging/attachments.js';
import { FILE_LINKS_PATH, type FileLinkSigner } from '../messaging/file-link-signer.js';
import type { Message } from '../messaging/message.js';
import type { Db } from '../store/db.js';

export interface FileLinkRouteDeps {
  db: Db;
  /** The same signer the Teams sender makes the links with. */
  signer: FileLinkSigner;
  logger?: Logger;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * GET /files/<outboxId>/<sectionIndex>?exp=<epoch seconds>&sig=<hmac>: a file or picture from a message the bot
 * sent to Teams, for the few minutes its signed link lasts. 403 for a missing or bad signature (checked first, so
 * a guess learns nothing), 410 once expired, 404 for anything that is not there. Never cached.
 */
export function mountFileLinks(app: Express, deps: FileLinkRouteDeps): void {
  const { signer } = deps;
  app.get(`${FILE_LINKS_PATH}/:outboxId/:index`, async (req, res) => {
    res.setHeader('cache-control', 'private, no-store');
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('x-content-type-options', 'nosniff');
    const { outboxId, index } = req.params;
    const exp = Number(req.query['exp']);
    const sig = req.query['sig'];
    const sectionIndex = /^\d{1,4}$/.test(index) ? Number(index) : -1;
    if (typeof sig !== 'string' || !Number.isInteger(exp) || sectionIndex < 0) return refuse(res, 403, 'This download link is not valid.');
    const check = signer.check(outboxId, sectionIndex, exp, sig);
    if (check === 'forged') return refuse(res, 403, 'This download link is not valid.');
    if (check === 'expired') return refuse(res, 410, 'This download link has expired. Ask the bot to send the message again.');
    const attachment = UUID.test(outboxId) ? await findAttachment(deps.db, outboxId, sectionIndex) : undefined;
    if (!attachment) return refuse(res, 404, 'There is no such file.');
    deps.logger?.info({ outboxId, sectionIndex, mimeType: attachment.mimeType }, 'file link downloaded');
    const disposition = attachment.mimeType === 'image/png' ? 'inline' : 'attachment';
    res
      .status(200)
      .type(attachment.mimeType === 'text/csv' ? 'text/csv; charset=utf-8' : attachment.mimeType)
      .setHeader('content-disposition', `${disposition}; filename="${attachment.name.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(attachment.name)}`)
      .send(attachment.bytes);
  });
}

async function findAttachment(db: Db, outboxId: string, sectionIndex: number): Promise<Attachment | undefined> {
  const row = await db.outboxMessage.findUnique({ where: { id: outboxId }, select: { payload: true } });
  const message = (row?.payload as { message?: Message } | undefined)?.message;
  if (!message) return undefined;
  try {
    return attachmentAt(message, sectionIndex);
  } catch (error) {
    if (error instanceof InvalidAttachmentError) return undefined;
    throw error;
  }
}

function refuse(res: Response, status: number, text: string): void {
  res.status(status).type('text/plain; charset=utf-8').send(text);
}
