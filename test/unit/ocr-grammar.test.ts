import { describe, it, expect } from 'vitest'
import { fitPattern, statesFitting, STATE_GRAMMARS } from '../../api/enforcement/ocr/grammar.ts'
import { rankCandidates, type RawRead } from '../../api/enforcement/ocr/rank.ts'

const read = (text: string, stretch = 1.4, confidence = 95): RawRead => ({
  text,
  confidences: [...text].map(() => confidence),
  stretch,
  region: 0,
})

describe('state plate formats', () => {
  it('knows the standard formats of Florida, Georgia, Alabama and North Carolina', () => {
    expect(statesFitting('N788BY').map(([s]) => s)).toEqual(['FL'])
    expect(statesFitting('6A5730A').map(([s]) => s)).toEqual(['AL'])
    expect(
      statesFitting('BVN0669')
        .map(([s]) => s)
        .sort(),
    ).toEqual(['GA', 'NC'])
    expect(Object.keys(STATE_GRAMMARS)).toEqual(expect.arrayContaining(['FL', 'GA', 'AL', 'NC']))
  })

  it('bends a read to a format by swapping look-alike characters only', () => {
    expect(fitPattern('ABC1Z34', 'LLLDDDD')).toEqual({
      plate: 'ABC1234',
      pattern: 'LLLDDDD',
      fixes: [{ at: 4, from: 'Z', to: '2' }],
    })
    expect(fitPattern('A8C1234', 'LLLDDDD')?.plate).toBe('ABC1234')
    expect(fitPattern('0B1S', 'LLLL')?.plate).toBe('OBIS')
    expect(fitPattern('AKC1234', 'LLLDDDD')?.fixes).toEqual([])
    expect(fitPattern('ABCK234', 'LLLDDDD')).toBeUndefined()
    expect(fitPattern('ABC123', 'LLLDDDD')).toBeUndefined()
  })
})

describe('ranking plate candidates', () => {
  it('turns the reader’s O into 0 where a digit belongs and keeps it where a letter does', () => {
    const [top] = rankCandidates([read('NOX218'), read('NOX218', 1.2), read('ABCO12O', 1.6)])
    expect(top?.plate).toBe('NOX218')
    const [digits] = rankCandidates([read('GA20O5'), read('GA20O5', 1.2)])
    expect(digits?.plate).toBe('GA2005')
  })

  it('fixes confusable characters to fit a Georgia or North Carolina plate, and says so', () => {
    const [top] = rankCandidates([read('BVNO6G9'), read('BVN0669', 1.2), read('8VN0669', 1.6)])
    expect(top?.plate).toBe('BVN0669')
    const fixed = rankCandidates([read('BVN06G9')]).find((c) => c.plate === 'BVN0669')
    expect(fixed?.plate).toBe('BVN0669')
    expect(fixed?.reasons).toEqual(expect.arrayContaining(['G→6 at position 6 (digit expected)']))
    expect(fixed?.reasons.some((r) => /fits (GA|NC) format LLLDDDD/.test(r))).toBe(true)
  })

  it('reads an Alabama county plate through S/5 and I/1 confusions', () => {
    const [top] = rankCandidates([read('6AS73OA'), read('6A5730A', 1.2)], { states: ['AL'] })
    expect(top).toMatchObject({ plate: '6A5730A', state: 'AL' })
  })

  it('names the state when exactly one preferred state’s format fits', () => {
    const [fl] = rankCandidates([read('N788BY'), read('N788BY', 1.2)])
    expect(fl).toMatchObject({ plate: 'N788BY', state: 'FL' })
    const [either] = rankCandidates([read('KWV3918')])
    expect(either?.state).toBeUndefined()
  })

  it('keeps a vanity plate that fits no format as read', () => {
    const [top] = rankCandidates([read('GR8BUNZ'), read('GR8BUNZ', 1.2), read('GR8BUNZ', 1.6)])
    expect(top?.plate).toBe('GR8BUNZ')
    expect(top?.reasons).toContain('fits no standard format: kept as read')
  })


  it('reads a Z, S or I between two digits as the digit it looks like, and no other letter', () => {
    const ranked = rankCandidates([read('L8Z4788'), read('L8Z4788', 1.2)])
    expect(ranked[0]?.plate).toBe('L824788')
    expect(ranked[0]?.reasons).toContain('Z→2 at position 3 (between digits)')
    // The spelling as read is still offered, below.
    expect(ranked.map((c) => c.plate)).toContain('L8Z4788')
    expect(rankCandidates([read('7S4I2Q9')])[0]?.plate).toBe('75412Q9')
    // G and B are issued between digits (1G3296B), so a vanity-looking read keeps them.
    expect(rankCandidates([read('1G3296BX')])[0]?.plate).toBe('1G3296BX')
  })
  it("takes an O in a format's letter slot as a little less likely than the 0 the dies print alike", () => {
    // Alabama's DDLDDDD fits 47O1134, the common DDDDDDD 4701134: read with the O three times in
    // four, the plate without it still wins, and the other is offered.
    const ranked = rankCandidates([
      read('47O1134'),
      read('47O1134', 1.2),
      read('47O1134', 1.6),
      read('4701134', 1.3),
    ])
    expect(ranked[0]?.plate).toBe('4701134')
    expect(ranked.map((c) => c.plate)).toContain('47O1134')
    // A plate whose serial does use O, read so by every pass, keeps it.
    expect(rankCandidates([read('NOX218'), read('NOX218', 1.2)])[0]?.plate).toBe('NOX218')
  })

  it('lets agreeing passes outvote a stray one', () => {
    const ranked = rankCandidates([read('KYP4595'), read('KYP4595', 1.2), read('KYF4595', 1.6, 70)])
    expect(ranked[0]?.plate).toBe('KYP4595')
    expect(ranked[0]?.reasons[0]).toBe('read as KYP4595 in 2 of 3 passes')
    expect(ranked.map((c) => c.plate)).toContain('KYF4595')
  })

  it('prefers the plate the passes agree around to any one stray spelling', () => {
    const ranked = rankCandidates([read('KBC1234'), read('MBC1284', 1.2), read('MBC1234', 1.6)])
    expect(ranked[0]?.plate).toBe('MBC1234')
    expect(ranked[0]?.reasons).toContain('within one edit of 2 other reads')
  })

  it("counts a model's read of the grey band above its read of the mask, the English model's less far", () => {
    const mask: RawRead = { ...read('KWV3918'), model: 'plate' }
    const grey: RawRead = { ...read('KWV3818'), model: 'plate', source: 'grey' }
    const [first, second] = rankCandidates([mask, grey])
    expect(first?.plate).toBe('KWV3818')
    expect(first?.score).toBeGreaterThan((second?.score ?? 0) * 1.4)
    // Alone the English model's grey reads are right less often than its mask reads.
    const [englishGrey, english] = rankCandidates([read('KWV3918'), { ...read('KWV3818'), source: 'grey' }])
    expect(englishGrey?.plate).toBe('KWV3818')
    expect(englishGrey?.reasons[0]).toBe('read as KWV3818 in 1 of 2 passes')
    expect(english?.plate).toBe('KWV3918')
    const englishRatio = (englishGrey?.score ?? 0) / (english?.score ?? 1)
    expect(englishRatio).toBeGreaterThan(1)
    expect(englishRatio).toBeLessThan((first?.score ?? 0) / (second?.score ?? 1))
    // Three mask reads of a row whose first stage lost the end character, against two plate
    // models' grey reads that kept it: the mask reads share one image, and do not outvote them.
    const lost = (model: RawRead['model']): RawRead => ({ ...read('UG9L8'), model })
    const kept = (model: RawRead['model']): RawRead => ({ ...read('UG9L8U'), model, source: 'grey' })
    const [plate] = rankCandidates([lost('eng'), lost('plate'), lost('plate2'), kept('plate'), kept('plate3')])
    expect(plate?.plate).toBe('UG9L8U')
  })

  it('offers the read without a doubtful first character (a logo, a bolt)', () => {
    const withLogo: RawRead = {
      text: 'SABC1234',
      confidences: [31, 95, 95, 95, 95, 95, 95, 95],
      stretch: 1.4,
      region: 0,
    }
    const ranked = rankCandidates([withLogo, { ...withLogo, stretch: 1.2 }])
    expect(ranked.map((c) => c.plate)).toContain('ABC1234')
    const dropped = ranked.find((c) => c.plate === 'ABC1234')
    expect(dropped?.reasons).toContain('first character S dropped (confidence 31%)')
  })

  it('reads an end character read four different ways as an emblem, not a character', () => {
    // A state's emblem left of the number, read as a different character by each pass.
    const emblem = ['S', 'U', 'D', 'W'].map((c, i) => read(`${c}WM2048`, 1.2 + i * 0.1))
    const [first] = rankCandidates(emblem)
    expect(first?.plate).toBe('WM2048')
    expect(first?.reasons).toContain(
      'its first character read 4 ways (D S U W): an emblem or a sticker, not a character',
    )
    // A real first character misread two or three ways keeps its place.
    const misread = ['I', 'T', 'I', 'F'].map((c, i) => read(`${c}MJSAYN`, 1.2 + i * 0.1))
    expect(rankCandidates(misread)[0]?.plate).toBe('IMJSAYN')
    // The same at the last character.
    const sticker = ['1', 'L', 'I', 'J'].map((c, i) => read(`ZCS745${c}`, 1.2 + i * 0.1))
    expect(rankCandidates(sticker)[0]?.plate).toBe('ZCS745')
  })

  it("offers an eight-character read without a 1 or I at an end: the plate's edge read as a character", () => {
    // The plate's left edge, cut into the row, read as a 1 by every read of the grey band.
    const grey = (stretch: number): RawRead => ({ ...read('1AU41257', stretch), source: 'grey', model: 'plate5' })
    const ranked = rankCandidates([grey(1.3), grey(1.5), grey(1.7), read('1L5297'), read('43')])
    expect(ranked[0]?.plate).toBe('1AU41257')
    const withoutEdge = ranked.slice(0, 3).find((c) => c.plate === 'AU41257')
    // No read spelt it, so why it is offered comes first: the handheld shows the first reason.
    expect(withoutEdge?.reasons[0]).toBe(
      "read 1AU41257 at a plate's longest: its first 1 may be the plate's edge",
    )
    // The same at the last character, an I.
    expect(rankCandidates([read('ABC1234I'), read('ABC1234I', 1.2)]).map((c) => c.plate)).toContain(
      'ABC1234',
    )
    // A plate shorter than the longest keeps its 1 at an end, offered alone.
    expect(rankCandidates([read('1ABC234'), read('1ABC234', 1.2)]).map((c) => c.plate)).not.toContain(
      'ABC234',
    )
  })

  it('takes an end character the grey band sees and every mask read lost', () => {
    // The last 9 is fused to the plate's frame in the mask: six mask reads spell ASC739, the
    // plate models' grey reads, cut wider, end in 9 whatever they make of the first two.
    const mask = (stretch: number): RawRead => ({ ...read('ASC739', stretch), model: 'plate' })
    const grey = (text: string, model: RawRead['model']): RawRead => ({
      ...read(text),
      model,
      source: 'grey',
    })
    const lost = [1.2, 1.4, 1.6].flatMap((s) => [mask(s), { ...mask(s), model: 'eng' as const }])
    const seen = [grey('45C7399', 'plate5'), grey('4SC7399', 'plate5'), grey('ASC7399', 'plate6')]
    const [first] = rankCandidates([...lost, ...seen])
    expect(first?.plate).toBe('ASC7399')
    expect(first?.reasons).toContain(
      "the grey band reads 9 after the mask's ASC739 in 2 of 3 reads: a character the mask lost",
    )
    // One grey read alone is not enough.
    expect(rankCandidates([...lost, grey('ASC7399', 'plate6')])[0]?.plate).toBe('ASC739')
    // An emblem left of the number, read as S by some grey reads and G by another, is no
    // character the mask lost.
    const digits = lost.map((r) => ({ ...r, text: '09144' }))
    const emblem = [grey('S09144', 'plate5'), grey('S09144', 'plate6'), grey('G09144', 'plate5')]
    expect(rankCandidates([...digits, ...emblem])[0]?.plate).toBe('09144')
  })

  it("lends the others' spellings with an emblem at an end to the end judge's, where all its reads agree", () => {
    // West Virginia's stacked US left of 7524: the masks lost it, every plate model's grey read
    // spells it as an 8 or a 9, and the judge's three grey reads leave it out.
    const grey = (text: string, model: RawRead['model'], stretch = 1.4): RawRead => ({
      ...read(text, stretch),
      model,
      source: 'grey',
    })
    const masks = [1.2, 1.4, 1.6].map((s) => ({ ...read('7524', s), model: 'plate' as const }))
    const greys = [
      grey('87524', 'plate5', 1.3),
      grey('87524', 'plate5', 1.7),
      grey('987524', 'plate6', 1.5),
    ]
    const greysOfEng = [grey('87524', 'eng', 1.4), grey('PS7524', 'eng', 1.6)]
    const others = [...masks, ...greys, ...greysOfEng]
    expect(rankCandidates(others)[0]?.plate).toBe('87524')
    const judge = (text: string, stretch: number): RawRead => ({
      ...grey(text, 'plate7', stretch),
      judge: true,
    })
    const judged = [judge('7524', 1.3), judge('7524', 1.5), judge('7524', 1.7)]
    const [first] = rankCandidates([...others, ...judged])
    expect(first?.plate).toBe('7524')
    expect(first?.reasons).toContain(
      "the end judge reads 7524 in all 3 of its reads: the other reads' end characters are an emblem",
    )
    // A seal wider than a character is read as two: North Dakota's beside 73011, which the plate
    // models' grey reads spell 8573011 and some mask reads leave out.
    const seal = [
      grey('8573011', 'plate5', 1.3),
      grey('8573011', 'plate5', 1.7),
      grey('8573011', 'plate6', 1.5),
      { ...read('8S73011'), model: 'plate' as const },
      { ...read('8373011', 1.6), model: 'plate5' as const },
      read('73011', 1.4),
      read('73011', 1.6),
    ]
    expect(rankCandidates(seal)[0]?.plate).toBe('8573011')
    const sealJudged = [judge('73011', 1.3), judge('73011', 1.5), judge('73011', 1.7)]
    expect(rankCandidates([...seal, ...sealJudged])[0]?.plate).toBe('73011')
    // Three more characters are no emblem the judge speaks for.
    const longer = seal.map((r) => ({ ...r, text: `A${r.text}` }))
    expect(rankCandidates([...longer, ...sealJudged])[0]?.plate).not.toBe('73011')
    // Judges do not vote: alone they rank nothing, and a split judgement lends nothing.
    expect(rankCandidates(judged)).toEqual([])
    const split = [judge('7524', 1.3), judge('7524', 1.5), judge('97524', 1.7)]
    expect(rankCandidates([...others, ...split])[0]?.plate).toBe('87524')
    // Nor do they shorten a plate the others read whole but for a character in the middle.
    const inner = [judge('7S24', 1.3), judge('7S24', 1.5), judge('7S24', 1.7)]
    expect(rankCandidates([...others, ...inner])[0]?.plate).toBe('87524')
  })

  it('gives scores that rank the candidates and sum to at most one', () => {
    const ranked = rankCandidates([read('ABC1234'), read('A8C1234', 1.2), read('ABC1Z34', 1.6)])
    const scores = ranked.map((c) => c.score)
    expect([...scores].sort((a, b) => b - a)).toEqual(scores)
    expect(scores.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1 + 1e-9)
    expect(ranked[0]?.plate).toBe('ABC1234')
  })

  it('returns nothing for reads with no plate in them', () => {
    expect(rankCandidates([read(''), read('A')])).toEqual([])
  })
})
