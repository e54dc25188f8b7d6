import { createHash } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Db } from '../../db/connect.ts'
import type { Config } from '../config.ts'
import { AppError } from '../http/errors.ts'

/*
  Photos of plates and cars, kept as files named by their SHA-256 under PHOTO_DIR (a directory,
  or a mounted object store): the same photo sent twice (an offline handheld's retry) is one
  file and one row. The type is read from the bytes, not believed from the client.
*/

export const PHOTO_MAX_BYTES = 6 * 1024 * 1024

export function photoDir(config: Pick<Config, 'DATA_DIR' | 'PHOTO_DIR'>): string {
  return path.isAbsolute(config.PHOTO_DIR) ? config.PHOTO_DIR : path.resolve(config.DATA_DIR, config.PHOTO_DIR)
}

function typeOf(bytes: Buffer): 'image/jpeg' | 'image/png' | 'image/webp' | null {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    return 'image/jpeg'
  }
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    return 'image/png'
  }
  if (bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP') {
    return 'image/webp'
  }
  return null
}

/** Decodes a photo sent as base64 (a data: URL or bare), checking its size and type. */
export function photoBytes(base64: string, field: string): Buffer {
  const bare = base64.replace(/^data:[^;,]+;base64,/, '')
  const bytes = Buffer.from(bare, 'base64')
  if (bytes.length === 0) {
    throw new AppError('invalid', 'The photo is empty', [{ field, message: 'Empty' }])
  }
  if (bytes.length > PHOTO_MAX_BYTES) {
    throw new AppError('payload_too_large', `A photo is at most ${PHOTO_MAX_BYTES / 1024 / 1024} MB`)
  }
  if (!typeOf(bytes)) {
    throw new AppError('invalid', 'A photo is a JPEG, PNG or WebP image', [{ field, message: 'Not an image' }])
  }
  return bytes
}

export async function storePhoto(sql: Db, config: Pick<Config, 'DATA_DIR' | 'PHOTO_DIR'>, bytes: Buffer): Promise<number> {
  const sha256 = createHash('sha256').update(bytes).digest('hex')
  const type = typeOf(bytes)!
  const relative = path.join(sha256.slice(0, 2), `${sha256}.${type.split('/')[1]}`)
  const full = path.join(photoDir(config), relative)
  await mkdir(path.dirname(full), { recursive: true })
  await writeFile(full, bytes, { flag: 'w' })
  const [row]: [{ id: number }?] = await sql`
    insert into enforcement.photo (sha256, content_type, bytes, path)
    values (${sha256}, ${type}, ${bytes.length}, ${relative})
    on conflict (sha256) do update set sha256 = excluded.sha256
    returning id`
  return row!.id
}

export async function readPhoto(
  sql: Db,
  config: Pick<Config, 'DATA_DIR' | 'PHOTO_DIR'>,
  id: number,
): Promise<{ bytes: Buffer; contentType: string } | null> {
  const [row]: [{ path: string; content_type: string }?] = await sql`
    select path, content_type from enforcement.photo where id = ${id}`
  if (!row) {
    return null
  }
  return { bytes: await readFile(path.join(photoDir(config), row.path)), contentType: row.content_type }
}
