using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;
using static EntraAppKit.Tests.LocalTenantTests.GraphAssert;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>
    /// Application-permission consent through both front doors: POST/GET /servicePrincipals/{resource}/appRoleAssignedTo,
    /// GET /servicePrincipals/{client}/appRoleAssignments, DELETE of an assignment, and Graph's errors for duplicates and
    /// unknown app roles (learn.microsoft.com/graph/api/serviceprincipal-post-approleassignedto, learn.microsoft.com/graph/errors).
    /// </summary>
    public abstract class AppRoleAssignmentsTests : DoorTests
    {
        protected AppRoleAssignmentsTests(FrontDoor door) : base(door) { }

        public sealed class InProcess : AppRoleAssignmentsTests, IClassFixture<InProcessDoor> { public InProcess(InProcessDoor door) : base(door) { } }

        public sealed class Server : AppRoleAssignmentsTests, IClassFixture<ServerDoor> { public Server(ServerDoor door) : base(door) { } }

        private const string DirectoryReadAllRole = "7ab1d382-f21e-4acd-a863-ba3e13f7da61";
        private const string UserReadScope = "e1fe6dd8-ba31-4d61-89e7-88639da4683d";

        private async Task<GraphCall> AssignAsync(string resourceSp, string principal, string appRoleId, string? resourceId = null) =>
            await Door.PostAsync($"/servicePrincipals/{resourceSp}/appRoleAssignedTo", new { principalId = principal, resourceId = resourceId ?? resourceSp, appRoleId });

        [Fact]
        public async Task Post_appRoleAssignedTo_grants_an_application_permission()
        {
            // learn.microsoft.com/graph/api/serviceprincipal-post-approleassignedto
            var (_, client) = await CreateAppWithSpAsync();
            string clientId = (string)client["id"]!;
            string graphSp = await GraphSpIdAsync();
            var assignment = Ok(await AssignAsync(graphSp, clientId, DirectoryReadAllRole), 201);

            Assert.Equal($"{Root}/$metadata#servicePrincipals('{graphSp}')/appRoleAssignedTo/$entity", (string?)assignment["@odata.context"]);
            string id = (string)assignment["id"]!;
            Assert.False(string.IsNullOrEmpty(id));
            Assert.Equal(DirectoryReadAllRole, (string?)assignment["appRoleId"]);
            Assert.Equal(clientId, (string?)assignment["principalId"]);
            Assert.Equal("ServicePrincipal", (string?)assignment["principalType"]);
            Assert.Equal((string?)client["displayName"], (string?)assignment["principalDisplayName"]);
            Assert.Equal(graphSp, (string?)assignment["resourceId"]);
            Assert.Equal("Microsoft Graph", (string?)assignment["resourceDisplayName"]);
            Assert.True(DateTimeOffset.TryParse((string?)assignment["createdDateTime"], out _));

            var assignedTo = Ok(await Door.GetAsync($"/servicePrincipals/{graphSp}/appRoleAssignedTo?$filter=principalId eq '{clientId}'"));
            Assert.Equal($"{Root}/$metadata#servicePrincipals('{graphSp}')/appRoleAssignedTo", (string?)assignedTo["@odata.context"]);
            Assert.Equal(id, (string?)Assert.Single(Items(assignedTo))["id"]);

            var assignments = Ok(await Door.GetAsync($"/servicePrincipals/{clientId}/appRoleAssignments"));
            Assert.Equal($"{Root}/$metadata#servicePrincipals('{clientId}')/appRoleAssignments", (string?)assignments["@odata.context"]);
            Assert.Equal(id, (string?)Assert.Single(Items(assignments))["id"]);

            var single = Ok(await Door.GetAsync($"/servicePrincipals/{graphSp}/appRoleAssignedTo/{id}"));
            Assert.Equal(DirectoryReadAllRole, (string?)single["appRoleId"]);
        }

        [Fact]
        public async Task A_duplicate_assignment_is_400()
        {
            // learn.microsoft.com/graph/errors: "Permission being assigned already exists on the object"
            var (_, client) = await CreateAppWithSpAsync();
            string graphSp = await GraphSpIdAsync();
            Ok(await AssignAsync(graphSp, (string)client["id"]!, DirectoryReadAllRole), 201);
            Error(await AssignAsync(graphSp, (string)client["id"]!, DirectoryReadAllRole), 400, "Request_BadRequest", "Permission being assigned already exists on the object");
        }

        [Fact]
        public async Task An_unknown_appRoleId_is_400()
        {
            // learn.microsoft.com/graph/errors: "Permission being assigned was not found on application …"
            var (_, client) = await CreateAppWithSpAsync();
            string graphSp = await GraphSpIdAsync();
            string message = $"Permission being assigned was not found on application '{FrontDoor.MicrosoftGraphAppId}'.";
            Error(await AssignAsync(graphSp, (string)client["id"]!, Guid.NewGuid().ToString()), 400, "Request_BadRequest", message);
            // A delegated scope id is not an app role.
            Error(await AssignAsync(graphSp, (string)client["id"]!, UserReadScope), 400, "Request_BadRequest", message);
        }

        [Fact]
        public async Task Bad_principal_or_resource_ids()
        {
            var (_, client) = await CreateAppWithSpAsync();
            string graphSp = await GraphSpIdAsync();
            string unknown = Guid.NewGuid().ToString();
            Error(await AssignAsync(graphSp, unknown, DirectoryReadAllRole), 404, "Request_ResourceNotFound",
                $"Resource '{unknown}' does not exist or one of its queried reference-property objects are not present.");
            Error(await AssignAsync(graphSp, (string)client["id"]!, DirectoryReadAllRole, resourceId: (string)client["id"]!), 400, "Request_BadRequest",
                "Invalid value specified for property 'resourceId' of resource 'AppRoleAssignment'.");
            Error(await AssignAsync(unknown, (string)client["id"]!, DirectoryReadAllRole), 404, "Request_ResourceNotFound");
            Error(await Door.GetAsync($"/servicePrincipals/{graphSp}/appRoleAssignedTo/{unknown}"), 404, "Request_ResourceNotFound");
        }

        [Fact]
        public async Task Delete_an_assignment_from_either_side()
        {
            var (_, client) = await CreateAppWithSpAsync();
            string clientId = (string)client["id"]!;
            string graphSp = await GraphSpIdAsync();
            var first = Ok(await AssignAsync(graphSp, clientId, DirectoryReadAllRole), 201);
            var second = Ok(await AssignAsync(graphSp, clientId, "df021288-bdef-4463-88db-98f22de89214"), 201); // User.Read.All, learn.microsoft.com/graph/permissions-grant-via-msgraph

            NoContent(await Door.DeleteAsync($"/servicePrincipals/{graphSp}/appRoleAssignedTo/{first["id"]}"));
            Error(await Door.GetAsync($"/servicePrincipals/{graphSp}/appRoleAssignedTo/{first["id"]}"), 404, "Request_ResourceNotFound");
            Error(await Door.DeleteAsync($"/servicePrincipals/{graphSp}/appRoleAssignedTo/{first["id"]}"), 404, "Request_ResourceNotFound");

            NoContent(await Door.DeleteAsync($"/servicePrincipals/{clientId}/appRoleAssignments/{second["id"]}"));
            Assert.Empty(Items(Ok(await Door.GetAsync($"/servicePrincipals/{clientId}/appRoleAssignments"))));
            // Once deleted the same role can be assigned again.
            Ok(await AssignAsync(graphSp, clientId, DirectoryReadAllRole), 201);
        }

        [Fact]
        public async Task Roles_of_a_tenant_application_can_be_assigned_through_its_service_principal()
        {
            // learn.microsoft.com/entra/identity-platform/app-objects-and-service-principals: permissions attach to the service principal, which mirrors its application's definition
            string roleId = Guid.NewGuid().ToString();
            var (resourceApp, resourceSp) = await CreateAppWithSpAsync(new JsonObject
            {
                ["appRoles"] = new JsonArray(new JsonObject
                {
                    ["allowedMemberTypes"] = new JsonArray("Application"),
                    ["description"] = "Read all widgets",
                    ["displayName"] = "Widgets.Read.All",
                    ["id"] = roleId,
                    ["isEnabled"] = true,
                    ["value"] = "Widgets.Read.All",
                }),
            });
            Assert.Equal(roleId, (string?)Assert.Single(resourceSp["appRoles"]!.AsArray())!["id"]);
            var (_, client) = await CreateAppWithSpAsync();
            var assignment = Ok(await AssignAsync((string)resourceSp["id"]!, (string)client["id"]!, roleId), 201);
            Assert.Equal((string?)resourceApp["displayName"], (string?)assignment["resourceDisplayName"]);
            Error(await AssignAsync((string)resourceSp["id"]!, (string)client["id"]!, DirectoryReadAllRole), 400, "Request_BadRequest",
                $"Permission being assigned was not found on application '{resourceApp["appId"]}'.");
        }

        [Fact]
        public async Task Assignment_collections_of_an_unknown_service_principal_are_404()
        {
            // learn.microsoft.com/graph/errors
            string unknown = Guid.NewGuid().ToString();
            Error(await Door.GetAsync($"/servicePrincipals/{unknown}/appRoleAssignments"), 404, "Request_ResourceNotFound");
            Error(await Door.GetAsync($"/servicePrincipals/{unknown}/appRoleAssignedTo"), 404, "Request_ResourceNotFound");
        }
    }
}
