using System;
using System.IO;
using System.Linq;
using System.Reflection;
using Xunit;

namespace EntraAppKit.Tests.Architecture
{
    /// <summary>The engine does not know its emulator: one adapter opens a local tenant; everything else sees a ConnectionTarget.</summary>
    public class LayeringTests
    {
        private static readonly string Root = typeof(LayeringTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

        private static string Built(string assembly) => Path.Combine(AppContext.BaseDirectory, assembly + ".dll");

        [Fact]
        public void The_only_type_of_the_engine_that_uses_the_local_tenant_is_its_adapter()
        {
            using var core = new AssemblyReferences(Built("EntraAppKit.Core"));
            // The reference itself stays: the module ships the local tenant for Connect-EntraAppKit -LocalTenant.
            Assert.Contains("EntraAppKit.LocalTenant", core.ReferencedAssemblies);
            Assert.Equal(new[] { "EntraAppKit.Core.Connections.LocalTenantAdapter" }, core.TypesUsing("EntraAppKit.LocalTenant"));
        }

        [Fact]
        public void The_only_source_file_of_the_engine_that_names_the_local_tenant_is_its_adapter()
        {
            var files = Directory.GetFiles(Path.Combine(Root, "src", "EntraAppKit.Core"), "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar))
                .Where(f => File.ReadAllText(f).Contains("EntraAppKit.LocalTenant"))
                .Select(f => Path.GetRelativePath(Path.Combine(Root, "src", "EntraAppKit.Core"), f).Replace('\\', '/'));
            Assert.Equal(new[] { "Connections/LocalTenantAdapter.cs" }, files);
        }

        private static readonly string[] GraphWrites = { "PatchAsync", "PostAsync", "PutAsync", "DeleteAsync" };

        /// <summary>Graph SDK calls that write an application object: /applications… request builders' write methods.</summary>
        private static bool WritesAnApplication((TypeUse Parent, string Member) call) =>
            call.Parent.Assembly == "Microsoft.Graph" && call.Parent.Type.StartsWith("Microsoft.Graph.Applications", StringComparison.Ordinal) &&
            GraphWrites.Contains(call.Member);

        [Fact]
        public void Grant_AdminConsent_cannot_reach_anything_that_writes_an_application()
        {
            using var core = new AssemblyReferences(Built("EntraAppKit.Core"));
            var reachable = core.Reachable("EntraAppKit.Core.Operations.AdminConsentOperation");
            Assert.Contains("EntraAppKit.Core.Consent.ConsentReconciler", reachable);
            Assert.DoesNotContain("EntraAppKit.Core.Applications.ApplicationReconciler", reachable);
            Assert.DoesNotContain("EntraAppKit.Core.Recipes.RecipeEngine", reachable);
            var writes = reachable.SelectMany(t => core.MembersUsedBy(t).Where(WritesAnApplication).Select(c => $"{t} calls {c.Parent.Type}.{c.Member}")).ToList();
            Assert.True(writes.Count == 0, string.Join("\n", writes));

            // The cmdlet reaches the engine only through that operation.
            using var cmdlets = new AssemblyReferences(Built("EntraAppKit"));
            var engineTypes = cmdlets.Uses("EntraAppKit.Commands.GrantAdminConsentCommand").Where(u => u.Assembly == "EntraAppKit.Core").Select(u => u.Type).ToList();
            Assert.DoesNotContain("EntraAppKit.Core.Recipes.RecipeEngine", engineTypes);
            Assert.DoesNotContain("EntraAppKit.Core.Operations.AppRegistrationOperations", engineTypes);
        }

        /// <summary>
        /// Get-EntraAppConsent and Revoke-EntraAppConsent (issue 13 §2): reading and revoking consent are the consent area's, revoking
        /// goes through the same ConsentReconciler as Grant-AdminConsent, and nothing they reach writes an application.
        /// </summary>
        [Fact]
        public void Consent_reading_and_revoking_share_the_consent_reconciler_and_cannot_write_an_application()
        {
            using var core = new AssemblyReferences(Built("EntraAppKit.Core"));
            var reachable = core.Reachable("EntraAppKit.Core.Operations.AppConsentOperation");
            Assert.Contains("EntraAppKit.Core.Consent.ConsentReconciler", reachable);
            Assert.Contains("EntraAppKit.Core.Consent.ConsentReader", reachable);
            Assert.Contains("EntraAppKit.Core.Consent.ConsentRevocation", reachable);
            Assert.DoesNotContain("EntraAppKit.Core.Applications.ApplicationReconciler", reachable);
            Assert.DoesNotContain("EntraAppKit.Core.Recipes.RecipeEngine", reachable);
            var writes = reachable.SelectMany(t => core.MembersUsedBy(t).Where(WritesAnApplication).Select(c => $"{t} calls {c.Parent.Type}.{c.Member}")).ToList();
            Assert.True(writes.Count == 0, string.Join("\n", writes));
            using var cmdlets = new AssemblyReferences(Built("EntraAppKit"));
            foreach (var command in new[] { "EntraAppKit.Commands.GetEntraAppConsentCommand", "EntraAppKit.Commands.RevokeEntraAppConsentCommand" })
            {
                var engineTypes = cmdlets.Uses(command).Where(u => u.Assembly == "EntraAppKit.Core").Select(u => u.Type).ToList();
                Assert.Contains("EntraAppKit.Core.Operations.AppConsentOperation", engineTypes);
                Assert.DoesNotContain("EntraAppKit.Core.Recipes.RecipeEngine", engineTypes);
                Assert.DoesNotContain("EntraAppKit.Core.Operations.AppRegistrationOperations", engineTypes);
            }
        }

        [Fact]
        public void The_write_check_finds_the_writers()
        {
            // The same check, pointed at what does write applications, finds them: it can fail.
            using var core = new AssemblyReferences(Built("EntraAppKit.Core"));
            Assert.Contains(core.MembersUsedBy("EntraAppKit.Core.Applications.ApplicationReconciler"), WritesAnApplication);
            Assert.Contains(core.MembersUsedBy("EntraAppKit.Core.Operations.AppRegistrationOperations"), WritesAnApplication);
            Assert.Contains("EntraAppKit.Core.Applications.ApplicationReconciler", core.Reachable("EntraAppKit.Core.Recipes.RecipeEngine"));
        }

        [Fact]
        public void The_reference_check_sees_what_it_claims_to()
        {
            // The check finds real uses: the tests use the local tenant from many types, the cmdlets never do.
            using var tests = new AssemblyReferences(typeof(LayeringTests).Assembly.Location);
            Assert.Contains("EntraAppKit.Tests.Recipes.RewstRecipeTests", tests.TypesUsing("EntraAppKit.LocalTenant"));
            Assert.Contains("EntraAppKit.Tests.Support.TestRecipes", tests.TypesUsing("EntraAppKit.LocalTenant"));
            using var cmdlets = new AssemblyReferences(Built("EntraAppKit"));
            Assert.Empty(cmdlets.TypesUsing("EntraAppKit.LocalTenant"));
            Assert.Contains("EntraAppKit.Commands.ConnectEntraAppKitCommand", cmdlets.TypesUsing("EntraAppKit.Core"));
        }
    }
}
