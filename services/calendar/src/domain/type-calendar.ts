/** The shared Google calendar of each item type, as staff see it listed. */
const NAMES: Record<string, string> = {
  car: 'Midas Cars',
  yacht: 'Midas Yachts',
  jet: 'Midas Jets',
  property: 'Midas Properties',
};

/** The title of an item type's calendar; undefined for a type Midas does not sell. */
export function typeCalendarSummary(itemType: string): string | undefined {
  return NAMES[itemType];
}
