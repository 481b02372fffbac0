/** Both gateways speak China Standard Time (UTC+8, no daylight saving) whatever the server's zone. */
const offsetMs = 8 * 3600_000;

function parts(date: Date): string[] {
  const shifted = new Date(date.getTime() + offsetMs).toISOString();
  return [shifted.slice(0, 10), shifted.slice(11, 19), shifted.slice(20, 23)];
}

/** "2024-05-01 13:45:00", Alipay's format. */
export function alipayTime(date: Date, withMillis = false): string {
  const [day, time, millis] = parts(date);
  return `${day} ${time}${withMillis ? `.${millis}` : ''}`;
}

export function parseAlipayTime(text: string): Date | null {
  const match = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/.exec(text);
  if (!match) return null;
  const date = new Date(`${match[1]}T${match[2]}+08:00`);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "2024-05-01T13:45:00+08:00", WeChat Pay's RFC 3339 format. */
export function wechatTime(date: Date): string {
  const [day, time] = parts(date);
  return `${day}T${time}+08:00`;
}

export function parseRfc3339(text: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(text)) return null;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
}
