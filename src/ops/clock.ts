/** Where the gateway reads the time; tests pass a clock they can move. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
