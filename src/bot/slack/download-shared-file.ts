/** A file a person shared (url_private_download), with the bot token (docs.slack.dev "Downloading files"). */
export async function downloadSharedFile(url: string, botToken: string): Promise<Buffer> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${botToken}` }, redirect: 'manual', signal: AbortSignal.timeout(15_000) });
  if (res.status !== 200) throw new Error(`Slack answered ${res.status} for a shared file: add the files:read scope and reinstall the app`);
  return Buffer.from(await res.arrayBuffer());
}
