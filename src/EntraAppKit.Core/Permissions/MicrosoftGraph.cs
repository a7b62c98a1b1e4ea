namespace EntraAppKit.Core.Permissions
{
    /// <summary>Well-known values of Microsoft Graph (learn.microsoft.com/graph/permissions-reference).</summary>
    public static class MicrosoftGraph
    {
        public const string AppId = "00000003-0000-0000-c000-000000000000";
    }
}
