using System.Text.Json.Nodes;

namespace EntraAppKit.LocalTenant.Model
{
    /// <summary>An application object (learn.microsoft.com/graph/api/resources/application).</summary>
    internal sealed class ApplicationEntity : Entity
    {
        public ApplicationEntity(JsonObject json) : base(json) { }

        /// <summary>The client id, an alternate key: /applications(appId='…').</summary>
        public string AppId => Text("appId") ?? "";

        /// <summary>The uniqueName alternate key, null until set; once set it never changes.</summary>
        public string? UniqueName => Text("uniqueName");

        public string? DisplayName => Text("displayName");

        public string? SignInAudience => Text("signInAudience");

        /// <summary>"Allow public client flows": device code and refresh need it.</summary>
        public bool IsFallbackPublicClient => (bool?)Json["isFallbackPublicClient"] == true;

        public JsonArray PasswordCredentials => Json["passwordCredentials"]!.AsArray();

        public JsonArray IdentifierUris => Json["identifierUris"]!.AsArray();
    }
}
