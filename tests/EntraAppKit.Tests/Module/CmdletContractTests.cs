using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Xunit;

namespace EntraAppKit.Tests.Module
{
    /// <summary>
    /// The cmdlets' PowerShell contract, read from metadata: no PowerShell host exists here, and PowerShellStandard's
    /// attribute stubs give wrong values through normal reflection, so the built assembly is read with MetadataLoadContext.
    /// </summary>
    public sealed class CmdletContractTests : IDisposable
    {
        private static readonly string[] WritingVerbs = { "New", "Add", "Set", "Remove", "Grant", "Revoke", "Update", "Register", "Unregister" };
        private readonly MetadataLoadContext _context;
        private readonly Assembly _module;
        private readonly Assembly _sma;

        public CmdletContractTests()
        {
            string Metadata(string key) => typeof(CmdletContractTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
            string smaPath = Path.GetFullPath(Metadata("PowerShellStandard"));
            string bin = AppContext.BaseDirectory;
            var paths = Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll")
                .Where(p => !Path.GetFileName(p).Equals("System.Management.Automation.dll", StringComparison.OrdinalIgnoreCase))
                .Concat(Directory.GetFiles(bin, "*.dll").Where(p => !Path.GetFileName(p).Equals("System.Management.Automation.dll", StringComparison.OrdinalIgnoreCase)))
                .Concat(new[] { smaPath })
                .GroupBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase).Select(g => g.Last());
            _context = new MetadataLoadContext(new PathAssemblyResolver(paths), "System.Runtime");
            _module = _context.LoadFromAssemblyPath(Path.Combine(bin, "EntraAppKit.dll"));
            _sma = _context.LoadFromAssemblyName("System.Management.Automation");
        }

        public void Dispose() => _context.Dispose();

        private sealed class CmdletInfo
        {
            public Type Type = null!;
            public string Verb = "";
            public string Noun = "";
            public bool SupportsShouldProcess;
            public string Name => Verb + "-" + Noun;
        }

        private IReadOnlyList<CmdletInfo> Cmdlets() => _module.GetTypes()
            .Where(t => !t.IsAbstract && t.IsPublic)
            .Select(t => (Type: t, Attr: t.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.FullName == "System.Management.Automation.CmdletAttribute")))
            .Where(x => x.Attr != null)
            .Select(x => new CmdletInfo
            {
                Type = x.Type,
                Verb = (string)x.Attr!.ConstructorArguments[0].Value!,
                Noun = (string)x.Attr.ConstructorArguments[1].Value!,
                SupportsShouldProcess = x.Attr.NamedArguments.Any(n => n.MemberName == "SupportsShouldProcess" && (bool)n.TypedValue.Value!),
            }).ToList();

        [Fact]
        public void Every_cmdlet_uses_an_approved_verb()
        {
            var approved = _sma.GetTypes().Where(t => t.Namespace == "System.Management.Automation" && t.Name.StartsWith("Verbs", StringComparison.Ordinal))
                .SelectMany(t => t.GetFields()).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToHashSet();
            Assert.Contains("New", approved);
            Assert.NotEmpty(Cmdlets());
            foreach (var c in Cmdlets()) Assert.True(approved.Contains(c.Verb), $"{c.Name} does not use an approved verb");
        }

        [Fact]
        public void Every_cmdlet_that_writes_supports_ShouldProcess_and_removal_confirms_by_default()
        {
            foreach (var c in Cmdlets().Where(c => WritingVerbs.Contains(c.Verb)))
                Assert.True(c.SupportsShouldProcess, $"{c.Name} writes but does not support -WhatIf/-Confirm");
            foreach (var c in Cmdlets().Where(c => c.Verb == "Remove"))
            {
                var attr = c.Type.GetCustomAttributesData().Single(a => a.AttributeType.FullName == "System.Management.Automation.CmdletAttribute");
                var impact = attr.NamedArguments.FirstOrDefault(n => n.MemberName == "ConfirmImpact");
                Assert.True(impact.MemberName != null && (int)impact.TypedValue.Value! == 3, $"{c.Name} must have ConfirmImpact High"); // ConfirmImpact.High = 3
            }
        }

        [Fact]
        public void Every_cmdlet_declares_its_output_type_and_no_output_type_leaks_a_dependency()
        {
            foreach (var c in Cmdlets())
            {
                var output = c.Type.GetCustomAttributesData().Where(a => a.AttributeType.FullName == "System.Management.Automation.OutputTypeAttribute").ToList();
                Assert.True(output.Count > 0, $"{c.Name} has no [OutputType]");
                foreach (var type in output.SelectMany(a => (IEnumerable<CustomAttributeTypedArgument>)a.ConstructorArguments[0].Value!).Select(v => (Type)v.Value!))
                    foreach (var p in type.GetProperties())
                        Assert.False(IsDependencyType(p.PropertyType), $"{type.Name}.{p.Name} exposes {p.PropertyType.FullName}");
                foreach (var p in c.Type.GetProperties().Where(p => p.GetCustomAttributesData().Any(a => a.AttributeType.FullName == "System.Management.Automation.ParameterAttribute")))
                    Assert.False(IsDependencyType(p.PropertyType), $"{c.Name} -{p.Name} is a {p.PropertyType.FullName}");
            }
        }

        /// <summary>
        /// Every string and list parameter refuses $null, empty and white-space values (and such elements) at binding, through one
        /// attribute, [ValidateNotBlank], or a stricter one (a set, a client id); a $null in a list used to reach the engine.
        /// </summary>
        [Fact]
        public void Every_string_and_list_parameter_refuses_blank_values_at_binding()
        {
            string[] guards = { "EntraAppKit.Validation.ValidateNotBlankAttribute", "EntraAppKit.Validation.ValidateClientIdAttribute", "System.Management.Automation.ValidateSetAttribute" };
            int checkedCount = 0;
            foreach (var c in Cmdlets())
                foreach (var p in c.Type.GetProperties().Where(p => p.GetCustomAttributesData().Any(a => a.AttributeType.FullName == "System.Management.Automation.ParameterAttribute")))
                {
                    var type = p.PropertyType;
                    if (type.FullName != "System.String" && !type.IsArray) continue;
                    checkedCount++;
                    var attributes = p.GetCustomAttributesData().Select(a => a.AttributeType.FullName).ToList();
                    Assert.True(attributes.Any(a => guards.Contains(a)), $"{c.Name} -{p.Name} ({type.Name}) has no [ValidateNotBlank]");
                }
            Assert.True(checkedCount > 30, $"only {checkedCount} string and list parameters found");
        }

        private static bool IsDependencyType(Type t) =>
            new[] { "Microsoft.Graph", "Microsoft.Kiota", "Azure." }.Any(prefix => (t.FullName ?? "").StartsWith(prefix, StringComparison.Ordinal));

        [Fact]
        public void The_cmdlet_assembly_references_no_third_party_assembly()
        {
            // Everything else loads in the module's own load context, through EntraAppKit.Core (the bridge).
            var references = _module.GetReferencedAssemblies().Select(a => a.Name!).OrderBy(n => n, StringComparer.Ordinal).ToList();
            Assert.Equal(new[] { "EntraAppKit.Core", "EntraAppKit.Model", "System.Management.Automation", "netstandard" }, references);
        }

        [Fact]
        public void Every_public_parameter_and_output_type_lives_in_the_dependency_free_model_or_the_BCL()
        {
            // PowerShell 7 hides types of assemblies in other load contexts; these must stay in the default one.
            var model = _context.LoadFromAssemblyName("EntraAppKit.Model");
            Assert.DoesNotContain(model.GetReferencedAssemblies(), a => a.Name != "netstandard");
            foreach (var c in Cmdlets())
            {
                var types = c.Type.GetCustomAttributesData().Where(a => a.AttributeType.FullName == "System.Management.Automation.OutputTypeAttribute")
                    .SelectMany(a => (IEnumerable<CustomAttributeTypedArgument>)a.ConstructorArguments[0].Value!).Select(v => (Type)v.Value!)
                    .Concat(c.Type.GetProperties().Where(p => p.GetCustomAttributesData().Any(a => a.AttributeType.FullName == "System.Management.Automation.ParameterAttribute")).Select(p => p.PropertyType));
                foreach (var type in types)
                {
                    var t = type.IsArray ? type.GetElementType()! : type;
                    if (t.IsGenericType && t.GetGenericTypeDefinition().FullName == "System.Nullable`1") t = t.GetGenericArguments()[0];
                    string assembly = t.Assembly.GetName().Name!;
                    Assert.True(assembly == "EntraAppKit.Model" || assembly == "System.Management.Automation" || assembly == "netstandard" || assembly.StartsWith("System.", StringComparison.Ordinal) || assembly == "mscorlib",
                        $"{c.Name} exposes {t.FullName} from {assembly}");
                }
            }
        }

        [Fact]
        public void CmdletsToExport_in_the_manifest_equals_the_cmdlets_in_the_assembly()
        {
            string root = typeof(CmdletContractTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;
            string psd1 = File.ReadAllText(Path.Combine(root, "EntraAppKit.psd1"));
            var block = Regex.Match(psd1, @"CmdletsToExport\s*=\s*@\((?<list>[^)]*)\)").Groups["list"].Value;
            var listed = Regex.Matches(block, @"'([^']+)'").Select(m => m.Groups[1].Value).OrderBy(n => n, StringComparer.Ordinal).ToList();
            Assert.DoesNotContain(listed, n => n.Contains('*'));
            Assert.Equal(Cmdlets().Select(c => c.Name).OrderBy(n => n, StringComparer.Ordinal), listed);
        }

        [Fact]
        public void The_manifest_binds_no_assembly_before_the_module_initializer_runs()
        {
            // RequiredAssemblies and NestedModules load before RootModule, into the default context (learn.microsoft.com/powershell/scripting/dev-cross-plat/resolving-dependency-conflicts).
            string root = typeof(CmdletContractTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;
            string psd1 = File.ReadAllText(Path.Combine(root, "EntraAppKit.psd1"));
            Assert.DoesNotMatch(@"(?m)^\s*(RequiredAssemblies|NestedModules)\s*=", psd1);
            Assert.Matches(@"RootModule\s*=\s*'EntraAppKit\.dll'", psd1);
            Assert.Matches(@"CompatiblePSEditions\s*=\s*@\('Desktop', 'Core'\)", psd1);
            Assert.Matches(@"PowerShellVersion\s*=\s*'5\.1'", psd1);
            Assert.Matches(@"DotNetFrameworkVersion\s*=\s*'4\.7\.2'", psd1);
        }

        [Fact]
        public void At_most_one_ValueFromPipeline_parameter_per_parameter_set()
        {
            foreach (var c in Cmdlets())
            {
                var sets = c.Type.GetProperties()
                    .SelectMany(p => p.GetCustomAttributesData().Where(a => a.AttributeType.FullName == "System.Management.Automation.ParameterAttribute")
                        .Select(a => (Set: (string?)a.NamedArguments.FirstOrDefault(n => n.MemberName == "ParameterSetName").TypedValue.Value ?? "__AllParameterSets",
                                      ByValue: a.NamedArguments.Any(n => n.MemberName == "ValueFromPipeline" && (bool)n.TypedValue.Value!))))
                    .Where(x => x.ByValue).GroupBy(x => x.Set);
                foreach (var set in sets) Assert.True(set.Count() <= 1, $"{c.Name} has {set.Count()} ValueFromPipeline parameters in set {set.Key}");
            }
        }

        /// <summary>Documented pipelines: the receiving parameter (or an alias) names a property of the sender's output type.</summary>
        [Theory]
        [InlineData("New-CmgServerApp", "New-CmgClientApp", "ServerClientId")]
        [InlineData("New-CmgClientApp", "Grant-AdminConsent", "ClientId")]
        [InlineData("New-CmgServerApp", "Grant-AdminConsent", "ClientId")]
        [InlineData("New-RewstAppRegistration", "Grant-AdminConsent", "ClientId")]
        [InlineData("New-KonnectDcrApp", "Grant-AdminConsent", "ClientId")]
        [InlineData("New-EntraAppRegistration", "Grant-AdminConsent", "ClientId")]
        [InlineData("New-WriteBackAppRegistration", "Add-WriteBackRedirectUri", "ClientId")]
        [InlineData("Get-EntraAppRegistration", "Add-WriteBackRedirectUri", "ClientId")]
        [InlineData("Get-EntraAppRegistration", "Grant-AdminConsent", "ClientId")]
        [InlineData("Get-EntraAppRegistration", "Remove-EntraAppRegistration", "ClientId")]
        [InlineData("New-KonnectDcrApp", "Remove-EntraAppRegistration", "ClientId")]
        [InlineData("New-KonnectDcrApp", "Test-EntraAppCredential", "ClientSecret")]
        [InlineData("New-KonnectDcrApp", "Test-EntraAppCredential", "ClientId")]
        [InlineData("New-CmgServerApp", "Test-EntraAppCredential", "ClientSecret")]
        [InlineData("New-RewstAppRegistration", "Test-EntraAppCredential", "ClientSecret")]
        [InlineData("New-WriteBackAppRegistration", "Test-EntraAppCredential", "TenantId")]
        // issue 13 §2: Get-EntraAppConsent rows pipe into Revoke-EntraAppConsent, each revoking what its row shows
        [InlineData("Get-EntraAppRegistration", "Get-EntraAppConsent", "ClientId")]
        [InlineData("New-RewstAppRegistration", "Get-EntraAppConsent", "ClientId")]
        [InlineData("Get-EntraAppConsent", "Revoke-EntraAppConsent", "ClientId")]
        [InlineData("Get-EntraAppConsent", "Revoke-EntraAppConsent", "Permission")]
        [InlineData("Get-EntraAppConsent", "Revoke-EntraAppConsent", "Resource")]
        [InlineData("Get-EntraAppConsent", "Revoke-EntraAppConsent", "Kind")]
        [InlineData("Get-EntraAppConsent", "Revoke-EntraAppConsent", "ConsentType")]
        [InlineData("Get-EntraAppConsent", "Revoke-EntraAppConsent", "PrincipalId")]
        // Service principals (issue 13 §1): to and from the recipes and the app cmdlets by ClientId.
        [InlineData("New-RewstAppRegistration", "Get-EntraServicePrincipal", "ClientId")]
        [InlineData("New-RewstAppRegistration", "New-EntraServicePrincipal", "ClientId")]
        [InlineData("New-CmgServerApp", "Set-EntraServicePrincipal", "ClientId")]
        [InlineData("New-EntraAppRegistration", "Remove-EntraServicePrincipal", "ClientId")]
        [InlineData("Get-EntraAppRegistration", "Get-EntraServicePrincipal", "ClientId")]
        [InlineData("Get-EntraAppRegistration", "Set-EntraServicePrincipal", "ClientId")]
        [InlineData("Get-EntraServicePrincipal", "Get-EntraAppRegistration", "ClientId")]
        [InlineData("Get-EntraServicePrincipal", "Set-EntraServicePrincipal", "ClientId")]
        [InlineData("Get-EntraServicePrincipal", "Remove-EntraServicePrincipal", "ClientId")]
        [InlineData("Get-EntraServicePrincipal", "Grant-AdminConsent", "ClientId")]
        [InlineData("New-EntraServicePrincipal", "Set-EntraServicePrincipal", "ClientId")]
        [InlineData("Set-EntraServicePrincipal", "Remove-EntraServicePrincipal", "ClientId")]
        // issue 14 §1: Get-EntraAppCredential takes any recipe's output, app registration or service principal row by ClientId
        [InlineData("New-RewstAppRegistration", "Get-EntraAppCredential", "ClientId")]
        [InlineData("New-CmgServerApp", "Get-EntraAppCredential", "ClientId")]
        [InlineData("New-KonnectDcrApp", "Get-EntraAppCredential", "ClientId")]
        [InlineData("New-WriteBackAppRegistration", "Get-EntraAppCredential", "ClientId")]
        [InlineData("New-EntraAppRegistration", "Get-EntraAppCredential", "ClientId")]
        [InlineData("Get-EntraAppRegistration", "Get-EntraAppCredential", "ClientId")]
        [InlineData("Get-EntraServicePrincipal", "Get-EntraAppCredential", "ClientId")]
        [InlineData("Get-EntraAppCredential", "Get-EntraAppRegistration", "ClientId")]
        [InlineData("Get-EntraAppCredential", "Get-EntraServicePrincipal", "ClientId")]
        // issue 14 §2: recipes and Get-EntraAppRegistration into New-/Update-EntraAppSecret; their secret into Test-EntraAppCredential
        // and Remove-EntraAppCredential.
        [InlineData("New-RewstAppRegistration", "New-EntraAppSecret", "ClientId")]
        [InlineData("New-KonnectDcrApp", "Update-EntraAppSecret", "ClientId")]
        [InlineData("Get-EntraAppRegistration", "New-EntraAppSecret", "ClientId")]
        [InlineData("Get-EntraAppRegistration", "Update-EntraAppSecret", "ClientId")]
        [InlineData("New-EntraAppSecret", "Test-EntraAppCredential", "ClientSecret")]
        [InlineData("New-EntraAppSecret", "Test-EntraAppCredential", "TenantId")]
        [InlineData("Update-EntraAppSecret", "Test-EntraAppCredential", "ClientSecret")]
        [InlineData("New-EntraAppSecret", "Remove-EntraAppCredential", "ClientId")]
        [InlineData("New-EntraAppSecret", "Remove-EntraAppCredential", "KeyId")]
        [InlineData("Update-EntraAppSecret", "Remove-EntraAppCredential", "KeyId")]
        // end issue 14 §2
        // issue 14 §3: certificates for the recipes' apps and existing ones; the new certificate's PFX into Test-EntraAppCredential.
        [InlineData("New-KonnectDcrApp", "New-EntraAppCertificate", "ClientId")]
        [InlineData("New-CmgServerApp", "New-EntraAppCertificate", "ClientId")]
        [InlineData("New-EntraAppRegistration", "New-EntraAppCertificate", "ClientId")]
        [InlineData("Get-EntraAppRegistration", "New-EntraAppCertificate", "ClientId")]
        [InlineData("New-EntraAppCertificate", "Test-EntraAppCredential", "ClientId")]
        [InlineData("New-EntraAppCertificate", "Test-EntraAppCredential", "TenantId")]
        [InlineData("New-EntraAppCertificate", "Test-EntraAppCredential", "CertificatePath")]
        public void Documented_pipeline_pairs_bind_by_property_name(string sender, string receiver, string parameter)
        {
            var from = Cmdlets().Single(c => c.Name == sender);
            var to = Cmdlets().Single(c => c.Name == receiver);
            var outputTypes = from.Type.GetCustomAttributesData().Where(a => a.AttributeType.FullName == "System.Management.Automation.OutputTypeAttribute")
                .SelectMany(a => (IEnumerable<CustomAttributeTypedArgument>)a.ConstructorArguments[0].Value!).Select(v => (Type)v.Value!).ToList();
            var property = to.Type.GetProperty(parameter) ?? throw new Xunit.Sdk.XunitException($"{receiver} has no -{parameter}");
            var attr = property.GetCustomAttributesData().Single(a => a.AttributeType.FullName == "System.Management.Automation.ParameterAttribute");
            Assert.True(attr.NamedArguments.Any(n => n.MemberName == "ValueFromPipelineByPropertyName" && (bool)n.TypedValue.Value!), $"{receiver} -{parameter} is not ValueFromPipelineByPropertyName");
            var names = new[] { parameter }.Concat(property.GetCustomAttributesData().Where(a => a.AttributeType.FullName == "System.Management.Automation.AliasAttribute")
                .SelectMany(a => ((IEnumerable<CustomAttributeTypedArgument>)a.ConstructorArguments[0].Value!).Select(v => (string)v.Value!))).ToList();
            var match = outputTypes.SelectMany(t => t.GetProperties()).FirstOrDefault(p => names.Contains(p.Name, StringComparer.OrdinalIgnoreCase));
            Assert.True(match != null, $"{sender}'s output has no property named {string.Join(" or ", names)}");
            // PowerShell binds one value to an array parameter as a one-element array (a row's Permission to -Permission <String[]>).
            Assert.True(match!.PropertyType.FullName == property.PropertyType.FullName || property.PropertyType.FullName == "System.Object" ||
                property.PropertyType.FullName == match.PropertyType.FullName + "[]",
                $"{sender}.{match.Name} is {match.PropertyType.FullName}, {receiver} -{parameter} takes {property.PropertyType.FullName}");
        }
    }
}
