using System;
using EntraAppKit.Model;

namespace EntraAppKit.Core.Recipes
{
    /// <summary>A client secret to add.</summary>
    public sealed class SecretRequest
    {
        public SecretRequest(string displayName, int lifetimeMonths)
        {
            if (lifetimeMonths < ClientSecretLifetime.MinMonths || lifetimeMonths > ClientSecretLifetime.MaxMonths) throw new ArgumentOutOfRangeException(nameof(lifetimeMonths), "Microsoft recommends secrets of at most 24 months.");
            DisplayName = displayName;
            LifetimeMonths = lifetimeMonths;
        }

        public string DisplayName { get; }
        public int LifetimeMonths { get; }
    }
}
