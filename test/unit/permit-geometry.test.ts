import { describe, expect, it } from 'vitest'
import { placeOf, type Area } from '../../api/permits/geometry.ts'

// a block of downtown Raleigh, with a park cut out of it
const zone: Area = {
  type: 'Polygon',
  coordinates: [
    [[-78.64, 35.77], [-78.63, 35.77], [-78.63, 35.78], [-78.64, 35.78], [-78.64, 35.77]],
    [[-78.637, 35.773], [-78.633, 35.773], [-78.633, 35.777], [-78.637, 35.777], [-78.637, 35.773]],
  ],
}

describe('premise in a permit zone', () => {
  it('places a point inside, outside, on an edge, on a corner and in a hole', () => {
    expect(placeOf(zone, -78.639, 35.771)).toBe('inside')
    expect(placeOf(zone, -78.641, 35.775)).toBe('outside')
    expect(placeOf(zone, -78.635, 35.78)).toBe('boundary')
    expect(placeOf(zone, -78.64, 35.77)).toBe('boundary')
    expect(placeOf(zone, -78.635, 35.775)).toBe('outside')
    expect(placeOf(zone, -78.637, 35.775)).toBe('boundary')
  })

  it('finds a point in any polygon of a multipolygon', () => {
    const two: Area = {
      type: 'MultiPolygon',
      coordinates: [
        [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]],
        [[[2, 0], [3, 0], [2.5, 1], [2, 0]]],
      ],
    }
    expect(placeOf(two, 2.5, 0.5)).toBe('inside')
    expect(placeOf(two, 1.5, 0.5)).toBe('outside')
    expect(placeOf(two, 2.25, 0.5)).toBe('boundary')
  })
})
