using System.Linq;
using EntraAppKit.LocalTenant.Authorization;
using EntraAppKit.LocalTenant.Routing;
using Xunit;
using Tenant = EntraAppKit.LocalTenant.LocalTenantEngine;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>What the route table declares, checked without a request: permissions on every Graph route, and no route shadowed by another.</summary>
    public sealed class RouteDeclarationTests
    {
        private static readonly RouteTable Table = Tenant.Create().Routes;

        /// <summary>Every read-only permission the routes mention: none of them may open a write.</summary>
        private static readonly string[] ReadPermissions = Table.AllGraphRoutes
            .SelectMany(r => r.Requirement.AnyOf.Concat(r.Requirement.DelegatedAnyOf))
            .Where(p => p.Contains(".Read.") || p.EndsWith(".Read", System.StringComparison.Ordinal)).Distinct().ToArray();

        [Fact]
        public void Every_graph_route_declares_a_permission_requirement()
        {
            Assert.NotEmpty(Table.GraphRoutes);
            foreach (var route in Table.AllGraphRoutes)
                Assert.True(route.Requirement.IsEachBatchItem ? route.Pattern == "$batch" : route.Requirement.AnyOf.Count > 0, route.ToString());
        }

        [Fact]
        public void Every_graph_route_belongs_to_an_entity_set_whose_gate_it_cannot_skip()
        {
            foreach (var route in Table.GraphRoutes)
            {
                var set = Table.FindEntitySet(route.EntitySet);
                Assert.True(set != null, route.ToString());
                // A caller with no permission never passes the gate of a set, whatever the method.
                foreach (var method in new[] { "GET", "POST", "PATCH", "DELETE" })
                    Assert.False(GraphAuthorizer.Satisfies(Caller.App("caller", new string[0]), set!.GateFor(method)), $"{method} {route}");
            }
            Assert.All(Table.EntitySets, s => Assert.Contains(Table.RoutesOf(s.Name), r => r.Key == RouteKey.None && r.Allows("GET")));
        }

        [Fact]
        public void Read_permissions_never_open_a_write_route()
        {
            Assert.Contains("Application.Read.All", ReadPermissions);
            Assert.Contains("User.Read", ReadPermissions);
            var reader = Caller.App("reader", ReadPermissions);
            var delegatedReader = Caller.User("reader", ReadPermissions);
            foreach (var route in Table.GraphRoutes.Where(r => r.Methods.Count > 0 && r.Methods.All(m => m != "GET")))
            {
                Assert.False(GraphAuthorizer.Satisfies(reader, route.Requirement), route.ToString());
                Assert.False(GraphAuthorizer.Satisfies(delegatedReader, route.Requirement), route.ToString());
            }
        }

        [Fact]
        public void No_two_routes_answer_the_same_method_and_pattern()
        {
            var pairs = Table.AllGraphRoutes.SelectMany(r => (r.Methods.Count == 0 ? new[] { "*" } : r.Methods.ToArray()).Select(m => m + " " + r.Pattern)).ToList();
            Assert.Equal(pairs.Count, pairs.Distinct().Count());
            Assert.Equal(Table.IdentityRoutes.Count, Table.IdentityRoutes.Select(r => r.Pattern).Distinct().Count());
        }
    }
}
