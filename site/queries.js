// The site's operations: each named, each object selected with its id (what a normalizing
// client such as Apollo Client needs), only fields the pages show.

const card = /* GraphQL */ `
  fragment ArticleCard on Article {
    id
    slug
    title
    locale
    publishedAt
    excerpt
    readingTime {
      label
    }
    mainImage {
      url
      alt
      width
      height
    }
  }
`;

const sidebar = /* GraphQL */ `
  fragment MostReadSidebar on Query {
    mostRead(first: 4, filter: { excludeSlugs: $exclude }) {
      edges {
        rank
        node {
          ...ArticleCard
        }
      }
    }
    tags(first: 6) {
      edges {
        node {
          id
          slug
          name
        }
      }
    }
  }
`;

const page = /* GraphQL */ `
  fragment ArticlePageItems on ArticleConnection {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        ...ArticleCard
      }
    }
  }
`;

export const articlePageQuery = /* GraphQL */ `
  query ArticlePage($slug: String!, $exclude: [String!]) {
    article(slug: $slug) {
      ...ArticleCard
      seoTitle
      seoDescription
      body
      mainImage {
        caption
      }
      authors {
        id
        slug
        name
        avatar {
          url
          alt
        }
      }
      tags {
        id
        slug
        name
      }
      related(first: 3) {
        ...ArticleCard
      }
      translations {
        id
        slug
        locale
      }
    }
    ...MostReadSidebar
  }
  ${card}
  ${sidebar}
`;

export const listingPageQuery = /* GraphQL */ `
  query ListingPage($first: Int!, $after: String, $exclude: [String!]) {
    articles(first: $first, after: $after) {
      ...ArticlePageItems
    }
    ...MostReadSidebar
  }
  ${card}
  ${page}
  ${sidebar}
`;

export const tagPageQuery = /* GraphQL */ `
  query TagPage($slug: String!, $first: Int!, $after: String, $exclude: [String!]) {
    tag(slug: $slug) {
      id
      slug
      name
      description
      articleCount
      articles(first: $first, after: $after) {
        ...ArticlePageItems
      }
    }
    ...MostReadSidebar
  }
  ${card}
  ${page}
  ${sidebar}
`;

export const authorPageQuery = /* GraphQL */ `
  query AuthorPage($slug: String!, $first: Int!, $after: String, $exclude: [String!]) {
    author(slug: $slug) {
      id
      slug
      name
      bio
      articleCount
      avatar {
        url
        alt
        width
        height
      }
      articles(first: $first, after: $after) {
        ...ArticlePageItems
      }
    }
    ...MostReadSidebar
  }
  ${card}
  ${page}
  ${sidebar}
`;
