import { loadRegion } from '../../../src/directory/loadRegion';
import { townPoint } from '../../../src/directory/search/townPoint';
import { PATHS } from '../../../src/paths';

const region = loadRegion(PATHS.region);
const salford = region.towns.find((t) => t.id === 'salford');

it('finds a town typed in any accepted form, folded, and nothing for a place the region does not know', () => {
  const point = { latitude: salford?.latitude, longitude: salford?.longitude };
  expect(townPoint(region, 'SALFORD')).toEqual(point);
  expect(townPoint(region, 'سالفورد')).toEqual(point);
  expect(townPoint(region, 'Солфорд')).toEqual(point);
  expect(townPoint(region, 'M1 1AA')).toBeUndefined();
  expect(townPoint(region, 'Paris')).toBeUndefined();
});
