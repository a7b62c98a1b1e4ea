using System.Text.Json.Nodes;

namespace EntraAppKit.LocalTenant.Model
{
    /// <summary>A user (learn.microsoft.com/graph/api/resources/user). Its JSON never holds the password: the store keeps a salted hash beside it.</summary>
    internal sealed class UserEntity : Entity
    {
        public UserEntity(JsonObject json) : base(json) { }

        public string UserPrincipalName => Text("userPrincipalName") ?? "";

        public string? DisplayName => Text("displayName");

        /// <summary>"true if the account is enabled; otherwise, false" (resources/user); a disabled account cannot sign in.</summary>
        public bool AccountEnabled => Json["accountEnabled"] is JsonValue v && v.TryGetValue<bool>(out var b) && b;
    }
}
