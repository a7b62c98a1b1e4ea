using System;
using System.Linq;
using System.Management.Automation;
using System.Runtime.Loader;
using System.Security;
using System.Text.RegularExpressions;
using Xunit;

namespace EntraAppKit.PowerShell.Tests
{
    /// <summary>The packaged module in the real PowerShell 7 engine: import, dependency isolation, cmdlets end to end.</summary>
    public class ModuleTests
    {
        [Fact]
        public void Imports_and_exports_exactly_the_manifest_cmdlets()
        {
            using var s = new ModuleSession();
            var exported = s.RunClean("(Get-Command -Module EntraAppKit).Name").Select(o => (string)o.BaseObject).OrderBy(n => n, StringComparer.Ordinal).ToList();
            var manifest = System.IO.File.ReadAllText(ModuleSession.Manifest);
            var listed = Regex.Matches(Regex.Match(manifest, @"CmdletsToExport\s*=\s*@\((?<l>[^)]*)\)").Groups["l"].Value, "'([^']+)'")
                .Select(m => m.Groups[1].Value).OrderBy(n => n, StringComparer.Ordinal).ToList();
            Assert.Equal(listed, exported);
        }

        [Fact]
        public void Dependencies_load_in_the_module_context_beside_another_modules_Azure_Core()
        {
            using var s = new ModuleSession();
            s.RunClean("Connect-EntraAppKit -LocalTenant | Out-Null; New-RewstAppRegistration -Name 'Isolation' | Out-Null");
            var azureCore = AppDomain.CurrentDomain.GetAssemblies().Where(a => a.GetName().Name == "Azure.Core")
                .Select(a => (Version: a.GetName().Version!.ToString(2), Context: AssemblyLoadContext.GetLoadContext(a)!.Name ?? "")).OrderBy(x => x.Version).ToList();
            Assert.Equal(new[] { ("1.38", "Default"), ("1.53", "EntraAppKit") }, azureCore);
            foreach (var name in new[] { "Microsoft.Graph", "Microsoft.Kiota.Abstractions", "Azure.Identity", "Microsoft.Identity.Client", "EntraAppKit.Core", "EntraAppKit.LocalTenant" })
                Assert.All(AppDomain.CurrentDomain.GetAssemblies().Where(a => a.GetName().Name == name),
                    a => Assert.Equal("EntraAppKit", AssemblyLoadContext.GetLoadContext(a)!.Name));
            var model = AppDomain.CurrentDomain.GetAssemblies().Single(a => a.GetName().Name == "EntraAppKit.Model");
            Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(model)); // users can name the output types
        }

        [Fact]
        public void The_context_says_who_is_connected_with_which_roles_and_where_Graph_answers()
        {
            using var s = new ModuleSession();
            var context = s.RunClean("Connect-EntraAppKit -LocalTenant | Out-Null; Get-EntraAppKitContext").Single();
            Assert.Equal("admin@contoso.onmicrosoft.com", context.Properties["Account"].Value);
            Assert.Equal(new[] { "Global Administrator" }, (string[])context.Properties["DirectoryRoles"].Value);
            // The built-in administrator's token is the one an interactive sign-in of the tenant's admin gets.
            Assert.Contains("DelegatedPermissionGrant.ReadWrite.All", (string[])context.Properties["Scopes"].Value);
            Assert.NotNull(context.Properties["TokenExpiresOn"].Value);
            Assert.Equal("https://graph.microsoft.com (in-process: LocalTenant)", context.Properties["GraphEndpoint"].Value);
        }

        [Fact]
        public void Rewst_recipe_through_the_cmdlets_with_SecureString_and_a_safe_rerun()
        {
            using var s = new ModuleSession();
            var app = s.RunClean("Connect-EntraAppKit -LocalTenant | Out-Null; New-RewstAppRegistration -Name 'Rewst Integration'").Single();
            Assert.Equal("EntraAppKit.Model.Recipes.RewstAppRegistration", app.BaseObject.GetType().FullName);
            Assert.IsType<SecureString>(app.Properties["ClientSecret"].Value);
            Assert.Equal("tenant_id", app.Properties["AuthSubject"].Value); // Rewst's field takes tenant_id or common
            Assert.Equal(s.RunClean("(Get-EntraAppKitContext).TenantId").Single().BaseObject, app.Properties["TenantId"].Value);

            var again = s.Run("New-RewstAppRegistration -Name 'Rewst Integration'").Single();
            Assert.Equal(app.Properties["ClientId"].Value, again.Properties["ClientId"].Value);
            Assert.Null(again.Properties["ClientSecret"].Value);
            Assert.Empty((string[])again.Properties["Changes"].Value);
            Assert.Contains(s.Warnings, w => w.Contains("-NewSecret"));

            var plain = s.RunClean("New-RewstAppRegistration -Name 'Rewst Plain' -AsPlainText").Single();
            Assert.IsType<string>(plain.Properties["ClientSecret"].Value);
        }

        [Fact]
        public void WhatIf_writes_nothing()
        {
            using var s = new ModuleSession();
            var output = s.RunClean("Connect-EntraAppKit -LocalTenant | Out-Null; New-KonnectDcrApp -Name 'WhatIf DCR' -WhatIf");
            Assert.Empty(output);
            Assert.Empty(s.RunClean("Get-EntraAppRegistration -DisplayName 'WhatIf*'"));
        }

        [Fact]
        public void Cmg_server_pipes_into_the_client_and_into_Grant_AdminConsent_by_property_name()
        {
            using var s = new ModuleSession();
            var rows = s.RunClean("Connect-EntraAppKit -LocalTenant | Out-Null; New-CmgServerApp -Name CMG-ServerApp | New-CmgClientApp -Name CMG-ClientApp | Grant-AdminConsent");
            Assert.Equal(new[] { ("User.Read", "AlreadyGranted"), ("user_impersonation", "AlreadyGranted") },
                rows.Select(r => ((string)r.Properties["Permission"].Value, (string)r.Properties["Status"].Value)).OrderBy(x => x.Item1, StringComparer.Ordinal));
            // The server's new secret travelled down the pipeline and is still reachable from the rows.
            var upstream = (PSObject)((PSObject)rows[0].Properties["App"].Value).Properties["ServerApp"].Value;
            Assert.IsType<SecureString>(upstream.Properties["SecretKey"].Value);

            // The splat needs the run that made a secret; a re-run says so instead of binding null.
            var splat = (System.Collections.Hashtable)s.RunClean("(New-CmgServerApp -Name CMG-ServerApp -NewSecret -WarningAction SilentlyContinue).ToImportParameters()").Single().BaseObject;
            Assert.Equal(upstream.Properties["ClientId"].Value, splat["ClientId"]);
            Assert.IsType<Uri>(splat["AppIdUri"]);
            Assert.IsType<SecureString>(splat["SecretKey"]);
            s.Run("(New-CmgServerApp -Name CMG-ServerApp -WarningAction SilentlyContinue).ToImportParameters()");
            Assert.Contains("Graph never shows one again", s.Errors.Last().Exception.Message);
        }

        [Fact]
        public void The_piped_cmg_client_takes_the_server_from_its_output_instead_of_reading_it()
        {
            // The server just made may not have replicated: the client takes its service principal and scope id from the pipeline.
            using var s = new ModuleSession();
            var server = s.RunClean("Connect-EntraAppKit -LocalTenant | Out-Null; $server = New-CmgServerApp -Name 'CMG Piped'; $server").Single();
            Assert.IsType<Guid>(server.Properties["UserImpersonationScopeId"].Value);
            s.RunClean("$server | New-CmgClientApp -Name 'CMG Piped Client' -Verbose | Out-Null");
            Assert.DoesNotContain(s.Verbose, v => v.Contains("appId='" + server.Properties["ClientId"].Value + "'"));
            Assert.Contains(s.Verbose, v => v.StartsWith("Graph POST /v1.0/oauth2PermissionGrants -> 201", StringComparison.Ordinal));
        }

        [Fact]
        public void WriteBack_return_urls_pipe_in_and_Remove_takes_the_app_from_the_pipeline()
        {
            using var s = new ModuleSession();
            var app = s.RunClean(@"Connect-EntraAppKit -LocalTenant | Out-Null
                New-WriteBackAppRegistration -Name WriteBackExtreme -WarningAction SilentlyContinue |
                    Add-WriteBackRedirectUri -Uri 'https://wbe.contoso.com/backend/oauth/callback', 'https://wbe.contoso.com/oauth/return'").Single();
            Assert.Equal(new[] { "https://wbe.contoso.com/backend/oauth/callback", "https://wbe.contoso.com/oauth/return" }, (string[])app.Properties["WebRedirectUris"].Value);
            s.RunClean("Get-EntraAppRegistration -DisplayName WriteBackExtreme | Remove-EntraAppRegistration -Confirm:$false");
            Assert.Empty(s.RunClean("Get-EntraAppRegistration -DisplayName 'WriteBack*'"));
        }

        [Fact]
        public void Each_runspace_keeps_its_own_connection_as_jobs_sharing_an_Automation_sandbox_need()
        {
            using var a = new ModuleSession();
            using var b = new ModuleSession();
            string tenantA = (string)a.RunClean("(Connect-EntraAppKit -LocalTenant).TenantId").Single().BaseObject;
            string tenantB = (string)b.RunClean("(Connect-EntraAppKit -LocalTenant).TenantId").Single().BaseObject;
            Assert.NotEqual(tenantA, tenantB);
            Assert.Equal(tenantA, a.RunClean("(Get-EntraAppKitContext).TenantId").Single().BaseObject);
            b.RunClean("Disconnect-EntraAppKit");
            Assert.Empty(b.RunClean("Get-EntraAppKitContext"));
            Assert.Equal(tenantA, a.RunClean("(Get-EntraAppKitContext).TenantId").Single().BaseObject);
        }

        [Fact]
        public void The_about_topic_answers_Get_Help()
        {
            using var s = new ModuleSession();
            string text = string.Join("\n", s.RunClean("Get-Help about_EntraAppKit").Select(o => o.ToString()));
            Assert.Contains("uniqueName", text);
            Assert.Contains("service principal", text);
        }

        [Fact]
        public void Hashtables_convert_to_scopes_and_app_roles()
        {
            using var s = new ModuleSession();
            var app = s.RunClean(@"Connect-EntraAppKit -LocalTenant | Out-Null
                New-EntraAppRegistration -Name 'Contoso API' -NoSecret -IdentifierUri 'api://{appId}' `
                    -Scope @{ Value = 'access_as_user'; Type = 'Admin' } -AppRole @{ Value = 'Reader'; AllowedMemberTypes = 'User' }, 'Writer'").Single();
            Assert.Contains("Create application 'Contoso API'", ((string[])app.Properties["Changes"].Value)[0]);
            var changes = string.Join(" ", (string[])app.Properties["Changes"].Value);
            Assert.Contains("exposes scope access_as_user (admins only consent)", changes);
            Assert.Contains("defines app role Reader", changes);
            Assert.Contains("defines app role Writer", changes);
        }

        [Fact]
        public void A_stopped_pipeline_is_not_reported_as_an_error()
        {
            using var s = new ModuleSession();
            s.RunClean("Connect-EntraAppKit -LocalTenant | Out-Null; New-WriteBackAppRegistration -Name 'A' -WarningAction SilentlyContinue | Out-Null; New-WriteBackAppRegistration -Name 'B' -WarningAction SilentlyContinue | Out-Null");
            // The downstream command stops the pipeline while Get-EntraAppRegistration is still writing.
            var thrown = Assert.Throws<RuntimeException>(() => s.Run("Get-EntraAppRegistration | ForEach-Object { throw 'stop here' }"));
            Assert.Equal("stop here", thrown.Message); // the script's own error, not one of ours wrapped around it
            Assert.DoesNotContain(s.Errors, e => e.FullyQualifiedErrorId.StartsWith("UnexpectedError", StringComparison.Ordinal));
        }

        [Fact]
        public void NoSecret_cannot_be_combined_with_secret_options()
        {
            using var s = new ModuleSession();
            s.Run("Connect-EntraAppKit -LocalTenant | Out-Null; New-EntraAppRegistration -Name 'Conflict' -NoSecret -SecretLifetimeMonths 6");
            Assert.Equal("InvalidRecipeInput,EntraAppKit.Commands.NewEntraAppRegistrationCommand", Assert.Single(s.Errors).FullyQualifiedErrorId);
            Assert.Empty(s.RunClean("Get-EntraAppRegistration -DisplayName Conflict -ErrorAction SilentlyContinue"));
        }

        [Fact]
        public void Errors_carry_stable_ids_and_categories()
        {
            using var s = new ModuleSession();
            s.Run("Disconnect-EntraAppKit; New-RewstAppRegistration");
            var notConnected = Assert.Single(s.Errors);
            Assert.Equal("NotConnected,EntraAppKit.Commands.NewRewstAppRegistrationCommand", notConnected.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ConnectionError, notConnected.CategoryInfo.Category);

            s.Run("Connect-EntraAppKit -LocalTenant | Out-Null; New-RewstAppRegistration -DelegatedPermission 'User.Raed'");
            var unknown = s.Errors.Last();
            Assert.Equal("UnknownPermission,EntraAppKit.Commands.NewRewstAppRegistrationCommand", unknown.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, unknown.CategoryInfo.Category);
            Assert.Contains("Did you mean: User.Read", unknown.Exception.Message);
        }

        [Fact]
        public void Verbose_traces_every_graph_call_and_never_a_secret()
        {
            using var s = new ModuleSession();
            var app = s.RunClean("Connect-EntraAppKit -LocalTenant | Out-Null; New-WriteBackAppRegistration -Name 'Traced' -AsPlainText -Verbose -WarningAction SilentlyContinue").Single();
            string secret = (string)app.Properties["ClientSecret"].Value;
            Assert.Contains(s.Verbose, v => Regex.IsMatch(v, @"^Graph POST /v1\.0/applications/[0-9a-f-]{36}/addPassword -> 200 \(request-id [0-9a-f-]{36}, \d+ ms\)$"));
            Assert.DoesNotContain(s.Verbose, v => v.Contains(secret));
            Assert.DoesNotContain(s.Warnings, v => v.Contains(secret));
        }
    }
}
