using System;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace EntraAppKit.Core.Recipes
{
    /// <summary>
    /// The uniqueName an app is found by: derived from the recipe and the app's name, or the user's -UniqueName, checked here.
    /// A derived key is readable (the name in lower case, other characters as dashes), so names that differ only in case,
    /// punctuation or spacing ('Prod (EU)', 'Prod EU') share it; the engine tells them apart by the name the app was made from
    /// (<see cref="AppOwnership"/>) and refuses to hand one name's app to another.
    /// </summary>
    public static class UniqueNames
    {
        private const string Prefix = "entraappkit-";

        /// <summary>The key for <paramref name="name"/> under <paramref name="recipe"/>'s key. Unchanged from earlier releases for every name with a letter or digit.</summary>
        public static string Derive(string recipe, string name)
        {
            string slug = Slug(name);
            // A name without letters or digits (only emoji or punctuation) has no readable part: its key is a digest of the
            // name, so different such names get different keys (earlier releases gave them all "entraappkit-<recipe>-").
            return slug.Length > 0 ? $"{Prefix}{recipe}-{slug}" : $"{Prefix}{recipe}-{Digest(name)}";
        }

        /// <summary>The key an earlier release derived for <paramref name="name"/>, when it differs from <see cref="Derive"/> (a name without letters or digits).</summary>
        public static string? Legacy(string recipe, string name) => Slug(name).Length > 0 ? null : $"{Prefix}{recipe}-";

        /// <summary>Whether <paramref name="uniqueName"/> is a key derived for another recipe than <paramref name="recipe"/> (an app made by an earlier release carries no record).</summary>
        internal static bool DerivedForAnotherRecipe(string? uniqueName, string recipe) =>
            uniqueName != null && uniqueName.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) &&
            !uniqueName.StartsWith($"{Prefix}{recipe}-", StringComparison.OrdinalIgnoreCase);

        /// <summary>
        /// Refuses a -UniqueName Graph cannot take as a key, before anything is read: uniqueName is an immutable alternate key
        /// (learn.microsoft.com/graph/api/application-upsert) that travels inside the URL <c>/applications(uniqueName='…')</c>,
        /// so it must have a visible character, no white space at its ends (a key that looks like another), no control
        /// characters, and none of ' / \ ? # % which end or escape the key in that URL.
        /// </summary>
        public static void Validate(string uniqueName)
        {
            if (uniqueName == null || uniqueName.Trim().Length == 0) throw EntraAppKitException.InvalidInput("-UniqueName is empty or only white space; give a key such as 'contoso-prod-api', or leave it out to derive one from -Name.");
            if (uniqueName.Trim().Length != uniqueName.Length) throw EntraAppKitException.InvalidInput($"-UniqueName '{uniqueName}' starts or ends with white space; a key must not look like another one.");
            var bad = uniqueName.Where(c => char.IsControl(c) || "'/\\?#%".IndexOf(c) >= 0).Distinct().ToList();
            if (bad.Count > 0)
                throw EntraAppKitException.InvalidInput($"-UniqueName '{uniqueName}' contains {string.Join(" ", bad.Select(c => char.IsControl(c) ? $"U+{(int)c:X4}" : c.ToString()))}, which a key in Graph's /applications(uniqueName='…') URL cannot carry; use letters, digits, dashes, dots and underscores.");
        }

        private static string Slug(string name)
        {
            var slug = new string(name.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray());
            while (slug.Contains("--")) slug = slug.Replace("--", "-");
            return slug.Trim('-');
        }

        /// <summary>The first 40 bits of the name's SHA-256, as 10 lower-case hex digits: stable across runs and releases.</summary>
        private static string Digest(string name)
        {
            using var sha = SHA256.Create();
            return string.Concat(sha.ComputeHash(Encoding.UTF8.GetBytes(name)).Take(5).Select(b => b.ToString("x2")));
        }
    }
}
