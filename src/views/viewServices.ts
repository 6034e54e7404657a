import type { RankingSnapshots } from './rankings';
import type { ViewCounter } from './viewCounter';

/** The view pipeline a request talks to: the counter (guard, buffer) and the ranking snapshots. */
export interface ViewServices {
  counter: ViewCounter;
  rankings: RankingSnapshots;
}
