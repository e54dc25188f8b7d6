/** A value in COPY's text format: backslash, tab, newline and carriage return escaped. */
export function copyText(v: string): string {
  return /[\\\t\n\r]/.test(v)
    ? v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
    : v
}
