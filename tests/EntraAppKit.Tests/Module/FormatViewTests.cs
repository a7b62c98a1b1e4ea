using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Xml.Linq;
using Xunit;

namespace EntraAppKit.Tests.Module
{
    /// <summary>EntraAppKit.format.ps1xml: a table and a list view per output type, real properties only, secrets always (hidden).</summary>
    public class FormatViewTests
    {
        private static readonly string Root = typeof(FormatViewTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

        private static readonly Type[] OutputTypes =
        {
            typeof(Model.Recipes.RewstAppRegistration), typeof(Model.Recipes.CmgServerApp), typeof(Model.Recipes.CmgClientApp),
            typeof(Model.Recipes.WriteBackAppRegistration), typeof(Model.Recipes.KonnectDcrApp), typeof(Model.Recipes.EntraAppRegistrationResult),
            typeof(Model.Operations.EntraAppRegistration), typeof(Model.Operations.AdminConsentResult), typeof(Model.EntraAppKitContext),
            typeof(Model.Authentication.AppCredentialTestResult),
            typeof(Model.Operations.EntraAppConsent), // issue 13 §2
            typeof(Model.Operations.EntraServicePrincipal), // service principals (issue 13 §1)
            typeof(Model.Tenants.TenantAppPolicy),
            typeof(Model.Operations.EntraAppCredential), // issue 14 §1
            typeof(Model.Operations.EntraAppSecret), // issue 14 §2
            typeof(Model.Operations.EntraAppCertificate), // issue 14 §3
        };

        private static readonly string[] Secrets = { "ClientSecret", "SecretKey", "InitialClientSecret" };

        /// <summary>A secret shows as its text when the user asked for text, as (hidden) when it is a SecureString, else nothing.</summary>
        private const string SecretShown = @"^if \(\$_\.(?<p>ClientSecret|SecretKey) -is \[string\]\) \{ \$_\.\k<p> \} elseif \(\$null -ne \$_\.\k<p>\) \{ '\(hidden\)' \}$";

        private const string DateShown = @"^if \(\$null -ne \$_\.(?<p>\w+)\) \{ \$_\.\k<p>\.ToString\('yyyy-MM-dd'\) \}$";

        private static IEnumerable<XElement> Views() => XDocument.Load(Path.Combine(Root, "EntraAppKit.format.ps1xml")).Descendants("View");

        [Fact]
        public void The_manifest_loads_the_format_file()
        {
            Assert.Contains("FormatsToProcess       = @('EntraAppKit.format.ps1xml')", File.ReadAllText(Path.Combine(Root, "EntraAppKit.psd1")));
        }

        [Fact]
        public void Every_output_type_has_a_table_and_a_list_view()
        {
            foreach (var type in OutputTypes)
            {
                var views = Views().Where(v => (string?)v.Element("ViewSelectedBy")?.Element("TypeName") == type.FullName).ToList();
                Assert.True(views.Any(v => v.Element("TableControl") != null), $"{type.Name} has no table view");
                Assert.True(views.Any(v => v.Element("ListControl") != null), $"{type.Name} has no list view");
            }
            // Every output type of the model assembly is covered.
            var modelOutputs = typeof(Model.EntraAppKitContext).Assembly.GetTypes().Where(t => t.IsPublic && !t.IsAbstract && t.IsClass && !t.Name.EndsWith("Scope") && t.Name != "AppRoleDefinition");
            Assert.Empty(modelOutputs.Except(OutputTypes));
        }

        [Fact]
        public void Views_name_real_properties_and_never_show_a_secret()
        {
            foreach (var view in Views())
            {
                var type = OutputTypes.Single(t => t.FullName == (string)view.Element("ViewSelectedBy")!.Element("TypeName")!);
                foreach (var name in view.Descendants("PropertyName").Select(p => p.Value))
                {
                    Assert.NotNull(type.GetProperty(name));
                    Assert.DoesNotContain(name, Secrets);
                }
                foreach (var script in view.Descendants("ScriptBlock").Select(s => s.Value))
                    Assert.True(System.Text.RegularExpressions.Regex.IsMatch(script, SecretShown) || System.Text.RegularExpressions.Regex.IsMatch(script, DateShown), script);
                // Every secret a type carries is shown, by its script, in its list view (the alias InitialClientSecret is the same value).
                if (view.Element("ListControl") != null)
                    foreach (var secret in Secrets.Where(s => type.GetProperty(s)?.CanWrite == true))
                        Assert.Contains(view.Descendants("ScriptBlock"), s => s.Value.Contains("$_." + secret));
            }
        }

        [Fact]
        public void List_views_put_the_vendor_fields_before_the_common_ones()
        {
            var list = Views().Single(v => v.Element("Name")!.Value == "CmgServerAppList").Descendants("ListItem")
                .Select(i => (string?)i.Element("PropertyName") ?? (string)i.Element("Label")!).ToList();
            Assert.Equal(new[] { "TenantName", "TenantId", "AppName", "ClientId", "SecretKey", "SecretKeyExpiry", "AppIdUri" }, list.Take(7));
            var konnect = Views().Single(v => v.Element("Name")!.Value == "KonnectDcrAppList").Descendants("ListItem").Select(i => (string?)i.Element("PropertyName") ?? (string)i.Element("Label")!).ToList();
            Assert.Equal(new[] { "IssuerUrl", "ConsumerClaim", "InitialClientId", "ClientSecret" }, konnect.Take(4));
        }
    }
}
