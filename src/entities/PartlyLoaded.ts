/**
 * An entity that lists read in part and lookups read whole. A list reads the card columns a
 * listing shows (see src/db/reads/); the fields it leaves out are resolved from a loader by the
 * entity's resolver, which asks detailsLoaded first. The one partial-load mechanism of Article,
 * Author and Tag: there is no `undefined` sentinel on a field.
 */
export abstract class PartlyLoaded {
  /** Whether the detail columns were read (a lookup), or only the card (a list); not stored. */
  detailsLoaded = false;
}
