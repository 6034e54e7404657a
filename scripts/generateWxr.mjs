#!/usr/bin/env node
/**
 * Writes a WordPress export (WXR 1.2) of a big generated site, to measure the import's time and
 * memory (README "Moving from WordPress"):
 *
 *   node scripts/generateWxr.mjs <out.xml> [posts=20000] [paragraphs=12]
 *
 * Each post has Gutenberg block markup (paragraphs, a heading, a list, an image, a quote), two
 * of 40 categories and three of 400 tags, an author of 25, a featured image whose attachment
 * comes after all posts (as WordPress writes them), a Yoast title on every tenth post, a
 * comment on every fifth. Deterministic: the same arguments write the same file.
 */
import console from 'node:console';
import fs from 'node:fs';
import process from 'node:process';

const [out, postsArg = '20000', paragraphsArg = '12'] = process.argv.slice(2);
if (!out) {
  console.error('usage: node scripts/generateWxr.mjs <out.xml> [posts=20000] [paragraphs=12]');
  process.exit(2);
}
const posts = Number(postsArg);
const paragraphs = Number(paragraphsArg);

// A small deterministic generator (mulberry32), so runs are comparable.
let seed = 16;
function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = list => list[Math.floor(random() * list.length)];
const words = (
  'arbeit bewerbung gehalt karriere team führung projekt kunde zeit ziel gespräch frage antwort ' +
  'woche jahr plan idee erfolg fehler lernen wechsel chef kollege büro homeoffice vertrag ' +
  'kündigung weiterbildung netzwerk profil lebenslauf anschreiben stelle branche markt'
).split(' ');
const sentence = count =>
  Array.from({ length: count }, () => pick(words))
    .join(' ')
    .replace(/^./, c => c.toUpperCase()) + '.';
const paragraph = () =>
  Array.from({ length: 4 + Math.floor(random() * 4) }, () =>
    sentence(8 + Math.floor(random() * 10)),
  ).join(' ');
const cdata = text => `<![CDATA[${text.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
const pad = n => String(n).padStart(2, '0');
const site = 'https://blog.example.org';

const stream = fs.createWriteStream(out);
const write = text =>
  stream.write(text) ? Promise.resolve() : new Promise(resolve => stream.once('drain', resolve));

function body(id) {
  const blocks = [];
  for (let index = 0; index < paragraphs; index += 1) {
    if (index === 3)
      blocks.push(`<!-- wp:heading -->\n<h2>${sentence(5)}</h2>\n<!-- /wp:heading -->`);
    if (index === 5) {
      const items = Array.from({ length: 4 }, () => `<li>${sentence(6)}</li>`).join('');
      blocks.push(`<!-- wp:list -->\n<ul>${items}</ul>\n<!-- /wp:list -->`);
    }
    if (index === 7) {
      blocks.push(
        `<!-- wp:image {"id":${1_000_000 + id},"sizeSlug":"large"} -->\n<figure class="wp-block-image size-large"><img src="${site}/wp-content/uploads/2024/01/bild-${id}.jpg" alt="${sentence(3)}"/><figcaption>${sentence(6)}</figcaption></figure>\n<!-- /wp:image -->`,
      );
    }
    if (index === 9)
      blocks.push(
        `<!-- wp:quote -->\n<blockquote class="wp-block-quote"><p>${sentence(12)}</p></blockquote>\n<!-- /wp:quote -->`,
      );
    blocks.push(
      `<!-- wp:paragraph -->\n<p>${paragraph()} <strong>${sentence(4)}</strong> <a href="${site}/?p=${1 + Math.floor(random() * posts)}">${pick(words)}</a></p>\n<!-- /wp:paragraph -->`,
    );
  }
  return blocks.join('\n\n');
}

await write(`<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
	<title>Generated Blog</title>
	<link>${site}</link>
	<language>de-DE</language>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>${site}</wp:base_site_url>
	<wp:base_blog_url>${site}</wp:base_blog_url>
`);
for (let index = 0; index < 25; index += 1) {
  await write(
    `	<wp:author><wp:author_id>${index + 1}</wp:author_id><wp:author_login>${cdata(`autor${index}`)}</wp:author_login><wp:author_display_name>${cdata(`Autor ${index}`)}</wp:author_display_name></wp:author>\n`,
  );
}
for (let index = 0; index < 40; index += 1) {
  await write(
    `	<wp:category><wp:term_id>${index + 1}</wp:term_id><wp:category_nicename>kategorie-${index}</wp:category_nicename><wp:category_parent></wp:category_parent><wp:cat_name>${cdata(`Kategorie ${index}`)}</wp:cat_name><wp:category_description>${cdata(sentence(10))}</wp:category_description></wp:category>\n`,
  );
}
for (let index = 0; index < 400; index += 1) {
  await write(
    `	<wp:tag><wp:term_id>${1000 + index}</wp:term_id><wp:tag_slug>schlagwort-${index}</wp:tag_slug><wp:tag_name>${cdata(`Schlagwort ${index}`)}</wp:tag_name></wp:tag>\n`,
  );
}
for (let id = 1; id <= posts; id += 1) {
  const day = new Date(Date.UTC(2010, 0, 1) + id * 3 * 3600 * 1000);
  const date = `${day.getUTCFullYear()}-${pad(day.getUTCMonth() + 1)}-${pad(day.getUTCDate())} ${pad(day.getUTCHours())}:00:00`;
  const slug = `beitrag-${id}-${pick(words)}`;
  const path = `/${day.getUTCFullYear()}/${pad(day.getUTCMonth() + 1)}/${slug}/`;
  const terms = [
    `<category domain="category" nicename="kategorie-${id % 40}">${cdata(`Kategorie ${id % 40}`)}</category>`,
    `<category domain="category" nicename="kategorie-${(id * 7) % 40}">${cdata(`Kategorie ${(id * 7) % 40}`)}</category>`,
    ...[0, 1, 2].map(
      n =>
        `<category domain="post_tag" nicename="schlagwort-${(id * 3 + n * 131) % 400}">${cdata(`Schlagwort ${(id * 3 + n * 131) % 400}`)}</category>`,
    ),
  ];
  const meta = [
    `<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>${cdata(String(1_000_000 + id))}</wp:meta_value></wp:postmeta>`,
  ];
  if (id % 10 === 0)
    meta.push(
      `<wp:postmeta><wp:meta_key>_yoast_wpseo_title</wp:meta_key><wp:meta_value>${cdata('%%title%% %%sep%% %%sitename%%')}</wp:meta_value></wp:postmeta>`,
    );
  const comment =
    id % 5 === 0
      ? `<wp:comment><wp:comment_id>${id}</wp:comment_id><wp:comment_content>${cdata(sentence(12))}</wp:comment_content></wp:comment>`
      : '';
  await write(`	<item>
		<title>${cdata(sentence(6).slice(0, -1))}</title>
		<link>${site}${path}</link>
		<dc:creator>${cdata(`autor${id % 25}`)}</dc:creator>
		<guid isPermaLink="false">${site}/?p=${id}</guid>
		<content:encoded>${cdata(body(id))}</content:encoded>
		<excerpt:encoded>${cdata(id % 3 === 0 ? sentence(15) : '')}</excerpt:encoded>
		<wp:post_id>${id}</wp:post_id>
		<wp:post_date>${cdata(date)}</wp:post_date>
		<wp:post_date_gmt>${cdata(date)}</wp:post_date_gmt>
		<wp:post_name>${cdata(slug)}</wp:post_name>
		<wp:status>${cdata(id % 50 === 0 ? 'draft' : 'publish')}</wp:status>
		<wp:post_type>${cdata('post')}</wp:post_type>
		<wp:is_sticky>${id % 1000 === 0 ? 1 : 0}</wp:is_sticky>
		${terms.join('\n\t\t')}
		${meta.join('\n\t\t')}
		${comment}
	</item>
`);
}
for (let id = 1; id <= posts; id += 1) {
  await write(`	<item>
		<title>${cdata(`Bild ${id}`)}</title>
		<wp:post_id>${1_000_000 + id}</wp:post_id>
		<wp:post_type>${cdata('attachment')}</wp:post_type>
		<wp:status>inherit</wp:status>
		<wp:attachment_url>${cdata(`${site}/wp-content/uploads/2024/01/bild-${id}.jpg`)}</wp:attachment_url>
		<excerpt:encoded>${cdata(sentence(5))}</excerpt:encoded>
		<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key><wp:meta_value>${cdata(sentence(4))}</wp:meta_value></wp:postmeta>
		<wp:postmeta><wp:meta_key>_wp_attachment_metadata</wp:meta_key><wp:meta_value>${cdata(`a:3:{s:5:"width";i:1600;s:6:"height";i:900;s:5:"sizes";a:0:{}}`)}</wp:meta_value></wp:postmeta>
	</item>
`);
}
await write('</channel>\n</rss>\n');
stream.end();
await new Promise(resolve => stream.on('finish', resolve));
console.log(`${out}: ${posts} posts, ${posts} attachments, ${fs.statSync(out).size} bytes`);
