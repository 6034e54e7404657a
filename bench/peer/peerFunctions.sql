-- What PostGraphile 4 needs to answer the bench's pages as the gateway does: the gateway's derived
-- fields as PostGraphile computed columns (functions named <table>_<field>, first argument the
-- row) and the public rule as root query functions. Created in the bench dataset's own schema
-- (bench_<key>, made by bench/dataset/ensureDataset.ts) by bench/peer/peerServer.cjs before
-- PostGraphile introspects it; never part of the gateway's schema or migrations.
-- :base_url is replaced by the bench's PUBLIC_URL (relative image URLs are made absolute with it).

-- The gateway's global id: base64 of "Type:internal_id" (src/relay/globalId.ts).
CREATE OR REPLACE FUNCTION article_gid(a article) RETURNS text
  LANGUAGE sql STABLE AS $$ SELECT encode(convert_to('Article:' || a.internal_id, 'UTF8'), 'base64') $$;
CREATE OR REPLACE FUNCTION author_gid(x author) RETURNS text
  LANGUAGE sql STABLE AS $$ SELECT encode(convert_to('Author:' || x.internal_id, 'UTF8'), 'base64') $$;
CREATE OR REPLACE FUNCTION tag_gid(x tag) RETURNS text
  LANGUAGE sql STABLE AS $$ SELECT encode(convert_to('Tag:' || x.internal_id, 'UTF8'), 'base64') $$;

CREATE OR REPLACE FUNCTION article_excerpt(a article) RETURNS text
  LANGUAGE sql STABLE AS $$ SELECT coalesce(a.custom_excerpt, a.auto_excerpt) $$;

-- Instants are epoch milliseconds in the gateway's tables.
CREATE OR REPLACE FUNCTION article_published(a article) RETURNS timestamptz
  LANGUAGE sql STABLE AS $$ SELECT to_timestamp(a.published_at / 1000.0) $$;
CREATE OR REPLACE FUNCTION article_updated(a article) RETURNS timestamptz
  LANGUAGE sql STABLE AS $$ SELECT to_timestamp(a.updated_at / 1000.0) $$;

CREATE OR REPLACE FUNCTION article_headings(a article) RETURNS json
  LANGUAGE sql STABLE AS $$ SELECT a.headings_json::json $$;

-- src/content/readingTime.ts with the default settings (de 179, en 228 words a minute, 12 s an
-- image): words / rate + images * 12 / 60, rounded up, at least 1; the label in the language.
CREATE OR REPLACE FUNCTION article_reading_time(a article) RETURNS json
  LANGUAGE sql STABLE AS $$
  SELECT json_build_object('minutes', m, 'label',
    CASE WHEN lang = 'de' THEN m || CASE WHEN m = 1 THEN ' Minute' ELSE ' Minuten' END || ' Lesezeit'
         ELSE m || ' min read' END)
  FROM (
    SELECT greatest(1, ceil(a.word_count::numeric / CASE WHEN lang = 'de' THEN 179 ELSE 228 END
                            + a.image_count * 12 / 60.0 - 1e-9))::int AS m, lang
    FROM (SELECT lower(split_part(a.locale, '-', 1)) AS lang) l
  ) t $$;

CREATE OR REPLACE FUNCTION peer_absolute(url text) RETURNS text
  LANGUAGE sql IMMUTABLE AS $$ SELECT CASE WHEN url LIKE '/%' THEN ':base_url' || url ELSE url END $$;

CREATE OR REPLACE FUNCTION article_main_image(a article) RETURNS json
  LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN a.image_url IS NULL THEN NULL ELSE json_build_object(
    'url', peer_absolute(a.image_url), 'alt', a.image_alt,
    'width', a.image_width, 'height', a.image_height) END $$;

CREATE OR REPLACE FUNCTION author_avatar(x author) RETURNS json
  LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN x.avatar_url IS NULL THEN NULL ELSE json_build_object('url', peer_absolute(x.avatar_url)) END $$;

-- The ordered links (position 0 first: the primary author and tag).
CREATE OR REPLACE FUNCTION article_ordered_authors(a article) RETURNS SETOF author
  LANGUAGE sql STABLE AS $$
  SELECT x.* FROM article_author l JOIN author x ON x.internal_id = l.author_id
   WHERE l.article_id = a.internal_id ORDER BY l.position $$;
CREATE OR REPLACE FUNCTION article_ordered_tags(a article) RETURNS SETOF tag
  LANGUAGE sql STABLE AS $$
  SELECT x.* FROM article_tag l JOIN tag x ON x.internal_id = l.tag_id
   WHERE l.article_id = a.internal_id ORDER BY l.position $$;

-- Related articles as the gateway ranks them (src/db/reads, the baseline's SQL): most shared tags,
-- then the newest shared article, in the same language, never a translation of the same story.
CREATE OR REPLACE FUNCTION article_related(a article) RETURNS SETOF article
  LANGUAGE sql STABLE AS $$
  SELECT p.* FROM (
    SELECT o.article_id AS related_id, count(*) AS shared, max(p.published_at) AS newest
      FROM article_tag s
      JOIN article_tag o ON o.tag_id = s.tag_id AND o.article_id <> s.article_id
      JOIN article p ON p.internal_id = o.article_id
     WHERE s.article_id = a.internal_id AND p.status = 'PUBLISHED'
       AND p.published_at <= (extract(epoch FROM now()) * 1000)::bigint
       AND lower(split_part(p.locale, '-', 1)) = lower(split_part(a.locale, '-', 1))
       AND (p.translation_key IS NULL OR a.translation_key IS NULL
         OR p.translation_key <> a.translation_key)
     GROUP BY o.article_id
     ORDER BY shared DESC, newest DESC, o.article_id DESC
     LIMIT 3) r
  JOIN article p ON p.internal_id = r.related_id
  ORDER BY r.shared DESC, r.newest DESC, r.related_id DESC $$;

-- The public rule (published, and the publication time reached) as root fields.
CREATE OR REPLACE FUNCTION public_article(slug text) RETURNS article
  LANGUAGE sql STABLE AS $$
  SELECT a.* FROM article a WHERE a.slug = public_article.slug AND a.status = 'PUBLISHED'
     AND a.published_at <= (extract(epoch FROM now()) * 1000)::bigint $$;

-- The tag page: the tag's public articles, newest first, and how many there are.
CREATE OR REPLACE FUNCTION tag_public_articles(t tag) RETURNS SETOF article
  LANGUAGE sql STABLE AS $$
  SELECT a.* FROM article_tag l JOIN article a ON a.internal_id = l.article_id
   WHERE l.tag_id = t.internal_id AND a.status = 'PUBLISHED'
     AND a.published_at <= (extract(epoch FROM now()) * 1000)::bigint
   ORDER BY a.published_at DESC, a.internal_id DESC $$;
CREATE OR REPLACE FUNCTION tag_public_article_count(t tag) RETURNS integer
  LANGUAGE sql STABLE AS $$
  SELECT count(*)::int FROM article_tag l JOIN article a ON a.internal_id = l.article_id
   WHERE l.tag_id = t.internal_id AND a.status = 'PUBLISHED'
     AND a.published_at <= (extract(epoch FROM now()) * 1000)::bigint $$;

CREATE OR REPLACE FUNCTION article_primary_author(a article) RETURNS author
  LANGUAGE sql STABLE AS $$
  SELECT x.* FROM article_author l JOIN author x ON x.internal_id = l.author_id
   WHERE l.article_id = a.internal_id ORDER BY l.position LIMIT 1 $$;

CREATE OR REPLACE FUNCTION article_view_count(a article) RETURNS bigint
  LANGUAGE sql STABLE AS $$
  SELECT coalesce((SELECT views FROM article_view_total WHERE article_id = a.internal_id), 0) $$;
