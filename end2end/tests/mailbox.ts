import * as fs from 'node:fs';
import * as path from 'node:path';

// With no SMTP_URL the server writes each mail as an .eml file under the data folder.
const mailboxDir = path.resolve(process.env.E2E_DATA_DIR ?? 'target/e2e-data', 'mailbox');

/** Undoes quoted-printable: soft line breaks and =XX escapes. */
function decodeQuotedPrintable(text: string): string {
  return text
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
}

/** Waits for a mail to `to` whose text contains `marker`, and returns the link after it. */
export async function linkFromMail(to: string, marker: string): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const files = fs.existsSync(mailboxDir) ? fs.readdirSync(mailboxDir) : [];
    for (const file of files.sort().reverse()) {
      const raw = fs.readFileSync(path.join(mailboxDir, file), 'utf8');
      if (!raw.includes(`To: ${to}`)) continue;
      const text = decodeQuotedPrintable(raw);
      const start = text.indexOf(marker);
      if (start >= 0) return text.slice(start).split(/\s/)[0];
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no mail to ${to} with ${marker} in ${mailboxDir}`);
}
