import { ContentSchema1764400000000 } from './1764400000000-ContentSchema';
import { ViewSchema1764500000000 } from './1764500000000-ViewSchema';
import { RecentViews1764600000000 } from './1764600000000-RecentViews';
import { Editorial1764700000000 } from './1764700000000-Editorial';
import { Translations1764800000000 } from './1764800000000-Translations';
import { GatewaySecret1764900000000 } from './1764900000000-GatewaySecret';
import { PendingChanges1764950000000 } from './1764950000000-PendingChanges';
import { ChangeEvents1765000000000 } from './1765000000000-ChangeEvents';
import { Webhooks1765100000000 } from './1765100000000-Webhooks';
import { ArticleOrigins1765200000000 } from './1765200000000-ArticleOrigins';
import { TrafficSources1765300000000 } from './1765300000000-TrafficSources';

/** Every migration, oldest first; both dialects run the same list. */
export const migrations = [
  ContentSchema1764400000000,
  ViewSchema1764500000000,
  RecentViews1764600000000,
  Editorial1764700000000,
  Translations1764800000000,
  GatewaySecret1764900000000,
  PendingChanges1764950000000,
  ChangeEvents1765000000000,
  Webhooks1765100000000,
  ArticleOrigins1765200000000,
  TrafficSources1765300000000,
];
