/** One page of a list as the server answers it: the items, and the token of the next page ('' or absent at the end). */
export interface Page<T> {
  items: readonly T[];
  nextPageToken?: string;
}

/** Every item of a paged list, reading page after page until the server gives no next token. */
export async function readAllPages<T>(
  fetchPage: (pageToken: string | undefined) => Promise<Page<T>>,
): Promise<T[]> {
  const items: T[] = [];
  let pageToken: string | undefined;
  do {
    const page = await fetchPage(pageToken);
    for (const item of page.items) items.push(item);
    pageToken = page.nextPageToken || undefined;
  } while (pageToken);
  return items;
}
