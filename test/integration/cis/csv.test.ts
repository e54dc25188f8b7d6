import { describe, it, expect } from 'vitest'
import { createCsvParser, csvLine, parseCsv, type CsvRecord } from '../../../api/cis/csv.ts'

const SAMPLE =
  '\uFEFFid,name,note\r\n' +
  '1,"Smith, Jo","said ""hi""\r\nand left"\r\n' +
  '2,,plain\n' +
  '\n' +
  '3,"",""\n' +
  '4,last,"no newline at the end"'

describe('CSV parser', () => {
  it('reads quoted commas, doubled quotes and line breaks, with the line each record starts on', () => {
    const { records, problems } = parseCsv(SAMPLE)
    expect(problems).toEqual([])
    expect(records).toEqual([
      { line: 1, fields: ['id', 'name', 'note'] },
      { line: 2, fields: ['1', 'Smith, Jo', 'said "hi"\r\nand left'] },
      { line: 4, fields: ['2', '', 'plain'] },
      { line: 6, fields: ['3', '', ''] },
      { line: 7, fields: ['4', 'last', 'no newline at the end'] },
    ])
  })

  it('gives the same records however the text is cut into pieces', () => {
    const whole = parseCsv(SAMPLE).records
    for (let size = 1; size <= 9; size++) {
      const records: CsvRecord[] = []
      const parser = createCsvParser((r) => records.push(r), () => {})
      for (let i = 0; i < SAMPLE.length; i += size) {
        parser.write(SAMPLE.slice(i, i + size))
      }
      parser.end()
      expect(records).toEqual(whole)
    }
  })

  it('reports malformed records by line and goes on with the next', () => {
    const { records, problems } = parseCsv('a,b\n1,x"y\n2,"z"w\n3,ok\n4,"open\n')
    expect(problems).toEqual([
      { line: 2, message: expect.stringContaining('double quote inside an unquoted field') },
      { line: 3, message: 'text after the closing quote of a field' },
      { line: 5, message: 'a quoted field is not closed before the end of the file' },
    ])
    expect(records.map((r) => r.line)).toEqual([1, 4])
  })

  it('writes fields that read back the same', () => {
    const values = ['plain', 'with, comma', 'with "quotes"', 'two\nlines', '']
    expect(parseCsv(csvLine(values)).records[0]?.fields).toEqual(values)
  })
})
