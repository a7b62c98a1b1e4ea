using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using EntraAppKit.LocalTenant.Routing;
using Xunit;
using static EntraAppKit.Tests.LocalTenantTests.GraphAssert;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>
    /// The route table, through both front doors: every Graph route it lists answers its methods and refuses the others with
    /// Graph's errors (405, or for an OData action the unknown-segment 400), the authorizer is asked before every Graph route,
    /// and every identity route is answered by the identity provider.
    /// </summary>
    public abstract class RouteTableTests : DoorTests, IDisposable
    {
        private static readonly string[] Methods = { "GET", "POST", "PATCH", "DELETE", "PUT" };

        /// <summary>Graph's bound actions here (learn.microsoft.com/graph/api/application-addpassword): to any method but POST the segment does not exist.</summary>
        private static bool IsAction(string segment) =>
            new[] { "addPassword", "removePassword", "addKey", "removeKey" }.Any(a => segment == a || segment == "microsoft.graph." + a);
        private const string MethodNotAllowed = "The HTTP method is not supported for this resource.";

        private readonly IdentityKit _kit;

        protected RouteTableTests(FrontDoor door) : base(door)
        {
            _kit = new IdentityKit(door.Tenant);
        }

        public void Dispose() => _kit.Dispose();

        public sealed class InProcess : RouteTableTests, IClassFixture<InProcessDoor> { public InProcess(InProcessDoor door) : base(door) { } }

        public sealed class Server : RouteTableTests, IClassFixture<ServerDoor> { public Server(ServerDoor door) : base(door) { } }

        private RouteTable Table => Tenant.Routes;

        /// <summary>Fresh objects for one request to address: an app with its service principal holding a Graph role, a grant, and an app without one.</summary>
        private sealed class Objects
        {
            public string AppId = "", AppClientId = "", SpId = "", BareAppClientId = "", GraphSpId = "", AssignmentId = "", GrantId = "", UserId = "", RoleAssignmentId = "";
        }

        private async Task<Objects> FreshAsync()
        {
            var (app, sp) = await CreateAppWithSpAsync();
            var bare = await CreateAppAsync();
            string graphSp = await GraphSpIdAsync();
            var assignment = Ok(await Door.PostAsync($"/servicePrincipals/{graphSp}/appRoleAssignedTo",
                new { principalId = (string)sp["id"]!, resourceId = graphSp, appRoleId = IdentityKit.ApplicationReadAll }), 201);
            var grant = Ok(await Door.PostAsync("/oauth2PermissionGrants",
                new { clientId = (string)sp["id"]!, consentType = "AllPrincipals", resourceId = graphSp, scope = "User.Read" }), 201);
            string alias = Unique("user");
            var user = Ok(await Door.PostAsync("/users", new
            {
                accountEnabled = true, displayName = alias, mailNickname = alias, userPrincipalName = alias + "@" + FrontDoor.CustomDomain,
                passwordProfile = new { password = "Route-Table-1", forceChangePasswordNextSignIn = false },
            }), 201);
            var role = Ok(await Door.PostAsync("/roleManagement/directory/roleAssignments",
                new { principalId = (string)user["id"]!, roleDefinitionId = UsersTests.ApplicationDeveloper, directoryScopeId = "/" }), 201);
            return new Objects
            {
                AppId = (string)app["id"]!, AppClientId = (string)app["appId"]!, SpId = (string)sp["id"]!, BareAppClientId = (string)bare["appId"]!,
                GraphSpId = graphSp, AssignmentId = (string)assignment["id"]!, GrantId = (string)grant["id"]!,
                UserId = (string)user["id"]!, RoleAssignmentId = (string)role["id"]!,
            };
        }

        /// <summary>The URL a route's pattern stands for, addressing <paramref name="o"/>.</summary>
        private string Url(Route route, Objects o)
        {
            if (route.Pattern == "$batch") return "/$batch";
            string key = route.EntitySet switch
            {
                "applications" => route.Key == RouteKey.AlternateKey ? $"(uniqueName='{Unique("route")}')" : "/" + o.AppId,
                // appRoleAssignedTo lists the assignments of the resource's roles, appRoleAssignments those the principal holds.
                "servicePrincipals" => route.Key == RouteKey.AlternateKey ? $"(appId='{o.BareAppClientId}')"
                    : route.Below.FirstOrDefault() == "appRoleAssignedTo" ? "/" + o.GraphSpId : "/" + o.SpId,
                "oauth2PermissionGrants" => "/" + o.GrantId,
                "organization" => "/" + Tenant.TenantId,
                "domains" => "/" + FrontDoor.CustomDomain,
                "me" => "",
                "users" => "/" + o.UserId,
                "roleManagement" => "/directory",
                // The policy every method of policies/{key} answers (GET, PATCH, PUT); a permission grant policy below its collection.
                "policies" => route.Below.Count > 0 ? "/permissionGrantPolicies" : "/adminConsentRequestPolicy",
                _ => throw new InvalidOperationException($"No test objects for {route.EntitySet}."),
            };
            string url = "/" + route.EntitySet + (route.Key == RouteKey.None ? "" : key);
            // The owners' {id} is the administrator, who owns what it creates (FreshAsync runs as it).
            string member = route.Below.FirstOrDefault() switch
            {
                "owners" => Tenant.AdministratorId,
                "roleAssignments" => o.RoleAssignmentId,
                "roleDefinitions" => UsersTests.ApplicationDeveloper,
                "{id}" when route.EntitySet == "policies" => "microsoft-user-default-low",
                _ => o.AssignmentId,
            };
            foreach (var segment in route.Below) url += "/" + (segment == "{id}" ? member : segment);
            return url;
        }

        private static bool IsNoRoute(GraphCall call) =>
            call.Status == 400 && call.Text.Contains("\"code\":\"BadRequest\"") && call.Text.Contains("Resource not found for the segment");

        [Fact]
        public async Task Every_listed_route_answers_its_methods_and_refuses_the_others()
        {
            int checkedCalls = 0;
            foreach (var group in Table.AllGraphRoutes.GroupBy(r => r.Pattern))
            {
                var routes = group.ToList();
                if (routes[0].Key == RouteKey.AlternateKey)
                {
                    // An upsert is addressed like an item: only its own method is its to answer.
                    var upsert = Assert.Single(routes);
                    var o = await FreshAsync();
                    object body = upsert.EntitySet == "applications" ? new { displayName = Unique("upsert") } : new { };
                    Ok(await Door.SendAsync(Assert.Single(upsert.Methods), Url(upsert, o), body, CreateIfMissing), 201);
                    checkedCalls++;
                    continue;
                }
                bool action = routes[0].Below.Count > 0 && IsAction(routes[0].Below.Last());
                Assert.True(routes.All(r => r.IsAction == action), $"{group.Key} is {(action ? "" : "not ")}an action");
                foreach (var method in Methods)
                {
                    var o = await FreshAsync();
                    string url = Url(routes[0], o);
                    var call = await Door.SendAsync(method, url, method == "GET" || method == "DELETE" ? null : "{}", Eventual);
                    checkedCalls++;
                    string what = $"{method} {group.Key} ({url}): {call}";
                    if (routes.Any(r => r.Allows(method)))
                    {
                        Assert.False(call.Status == 405 || IsNoRoute(call) || call.Status == 403 || call.Status == 404, what);
                        if (method == "GET") Assert.True(call.Status == 200, what);
                    }
                    else if (action)
                        Error(call, 400, "BadRequest", $"Resource not found for the segment '{routes[0].Below.Last()}'.");
                    else Error(call, 405, "Request_BadRequest", MethodNotAllowed);
                }
            }
            Assert.True(checkedCalls > 100, $"Only {checkedCalls} calls checked.");
        }

        [Theory]
        [InlineData("applications")]
        [InlineData("servicePrincipals")]
        [InlineData("oauth2PermissionGrants")]
        [InlineData("organization")]
        [InlineData("domains")]
        public async Task Segments_the_table_does_not_list_are_refused_by_name(string set)
        {
            var o = await FreshAsync();
            string item = Url(Assert.Single(Table.RoutesOf(set), r => r.Key == RouteKey.Item && r.Below.Count == 0 && r.Allows("GET")), o);
            Error(await Door.GetAsync(item + "/notASegment"), 400, "BadRequest", "Resource not found for the segment 'notASegment'.");
            if (!Table.RoutesOf(set).Any(r => r.Below.FirstOrDefault() == "$count"))
                Error(await Door.GetAsync($"/{set}/$count", Eventual), 400, "BadRequest", "Resource not found for the segment '$count'.");
            Error(await Door.GetAsync($"/{set}x"), 400, "BadRequest", $"Resource not found for the segment '{set}x'.");
            Error(await Door.GetAsync($"{Door.Root.Replace("/v1.0", "/beta")}/{set}"), 400, "BadRequest", "Invalid version: the local tenant serves Microsoft Graph v1.0 only.");
        }

        [Fact]
        public async Task The_authorizer_is_asked_before_every_graph_route()
        {
            var client = await _kit.CreateClientAsync(); // no Graph permission at all
            string token = await IdentityKit.TokenAsync(_kit.SecretCredential(client.AppId, client.Secret));
            var o = await FreshAsync();
            int denied = 0;
            foreach (var route in Table.GraphRoutes)
                foreach (var method in route.Methods.Count == 0 ? new[] { "GET" } : route.Methods.ToArray())
                {
                    var call = await Door.SendAsync(method, Url(route, o), method == "GET" || method == "DELETE" ? null : "{}",
                        ("Authorization", "Bearer " + token), Eventual, CreateIfMissing);
                    // A route only a signed-in user may call (/me) answers any app-only token with its 400 instead.
                    if (route.Requirement.AppOnlyRefusal != null) Error(call, 400, "BadRequest", route.Requirement.AppOnlyRefusal);
                    else Error(call, 403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
                    denied++;
                }
            Assert.Equal(Table.GraphRoutes.Sum(r => Math.Max(1, r.Methods.Count)), denied);

            // $batch asks for nothing itself: each item is authorised as the request it is.
            var batch = Ok(await Door.SendAsync("POST", "/$batch", new { requests = new[] { new { id = "1", method = "GET", url = "/applications" } } },
                ("Authorization", "Bearer " + token)));
            Assert.Equal(403, (int)batch["responses"]![0]!["status"]!);
            // Nothing was written by the refused calls: the objects are all still there.
            Ok(await Door.GetAsync($"/applications/{o.AppId}"));
            Ok(await Door.GetAsync($"/servicePrincipals/{o.SpId}"));
            Ok(await Door.GetAsync($"/oauth2PermissionGrants/{o.GrantId}"));
            Ok(await Door.GetAsync($"/servicePrincipals/{o.GraphSpId}/appRoleAssignedTo/{o.AssignmentId}"));
        }

        [Fact]
        public async Task Past_the_read_gate_each_route_still_demands_its_own_permission()
        {
            // Directory.Read.All opens every set's read gate but the policies'; only the routes' own requirements refuse the writes.
            var client = await _kit.CreateClientAsync(IdentityKit.DirectoryReadAll);
            string token = await IdentityKit.TokenAsync(_kit.SecretCredential(client.AppId, client.Secret));
            var o = await FreshAsync();
            foreach (var route in Table.GraphRoutes.Where(r => r.Methods.Count > 0))
                foreach (var method in route.Methods)
                {
                    var call = await Door.SendAsync(method, Url(route, o), method == "GET" || method == "DELETE" ? null : "{}",
                        ("Authorization", "Bearer " + token), Eventual, CreateIfMissing);
                    if (route.Requirement.AppOnlyRefusal != null) Error(call, 400, "BadRequest", route.Requirement.AppOnlyRefusal);
                    // authorizationpolicy-get lists Policy.Read.All and Policy.ReadWrite.Authorization only: Directory.Read.All does not read it.
                    else if (method == "GET" && route.Requirement.AnyOf.Contains("Directory.Read.All")) Assert.True(call.Status == 200, $"{method} {route.Pattern}: {call}");
                    else Error(call, 403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
                }
            Ok(await Door.GetAsync($"/applications/{o.AppId}"));
            Ok(await Door.GetAsync($"/oauth2PermissionGrants/{o.GrantId}"));
        }

        [Fact]
        public async Task Every_identity_route_is_answered_by_the_identity_provider()
        {
            string authority = Door.Root.Substring(0, Door.Root.Length - "/v1.0".Length);
            foreach (var route in Table.IdentityRoutes)
            {
                var call = await Door.GetAsync(authority + "/" + route.Pattern.Replace("{tenant}", Tenant.TenantId));
                // Entra's correlation header, never Graph's request-id; and never a Graph error.
                Assert.True(call.Header("x-ms-request-id") != null, $"{route.Pattern}: {call}");
                Assert.Null(call.Header("request-id"));
                Assert.DoesNotContain("\"innerError\"", call.Text);
            }
            // A path that only resembles one is Graph's.
            var graph = await Door.GetAsync($"{authority}/{Tenant.TenantId}/oauth2/v2.0");
            Assert.NotNull(graph.Header("request-id"));
            Assert.Null(graph.Header("x-ms-request-id"));
        }
    }
}
