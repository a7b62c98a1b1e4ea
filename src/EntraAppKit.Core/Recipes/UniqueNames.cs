using System.Linq;

namespace EntraAppKit.Core.Recipes
{
    /// <summary>Derives stable uniqueNames from a recipe and the app's name, so a re-run finds the app it made.</summary>
    public static class UniqueNames
    {
        public static string Derive(string recipe, string name)
        {
            var slug = new string(name.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray());
            while (slug.Contains("--")) slug = slug.Replace("--", "-");
            return $"entraappkit-{recipe}-{slug.Trim('-')}";
        }
    }
}
