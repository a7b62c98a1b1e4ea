using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace EntraAppKit.Core.Graph
{
    /// <summary>Follows a collection's @odata.nextLink, page by page.</summary>
    internal static class GraphPages
    {
        /// <summary>Hands each page's items to <paramref name="onPage"/> as it arrives (nothing is held between pages).</summary>
        public static async Task EachAsync<TPage, T>(TPage? page, Func<TPage, List<T>?> items, Func<TPage, string?> nextLink,
            Func<string, Task<TPage?>> next, Func<List<T>, Task> onPage) where TPage : class
        {
            while (page != null)
            {
                await onPage(items(page) ?? new List<T>()).ConfigureAwait(false);
                string? link = nextLink(page);
                if (link == null) break;
                page = await next(link).ConfigureAwait(false);
            }
        }

        /// <summary>Every item of a collection.</summary>
        public static async Task<List<T>> AllAsync<TPage, T>(TPage? page, Func<TPage, List<T>?> items, Func<TPage, string?> nextLink,
            Func<string, Task<TPage?>> next) where TPage : class
        {
            var result = new List<T>();
            await EachAsync(page, items, nextLink, next, pageItems => { result.AddRange(pageItems); return Task.CompletedTask; }).ConfigureAwait(false);
            return result;
        }
    }
}
