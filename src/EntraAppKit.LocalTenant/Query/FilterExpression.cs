using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using EntraAppKit.LocalTenant.Http;

namespace EntraAppKit.LocalTenant.Query
{
    /// <summary>
    /// The $filter subset directory objects support for our types: <c>eq</c>/<c>ne</c> on primitive properties,
    /// <c>and</c>/<c>or</c>, parentheses, <c>not</c>, <c>startswith(prop,'x')</c>, and the lambda <c>any</c> over a string
    /// collection with <c>eq</c> or <c>startswith</c> on its range variable (<c>servicePrincipalNames/any(c:c eq 'x')</c>,
    /// learn.microsoft.com/graph/filter-query-parameter, "Filter using lambda operators"). <c>all</c> is refused: no
    /// application or servicePrincipal property lists it among its $filter operators (learn.microsoft.com/graph/api/resources/application).
    /// </summary>
    internal abstract class FilterExpression
    {
        public abstract bool Evaluate(JsonObject item);

        /// <summary>
        /// The string <paramref name="property"/> must equal for an item to match (<c>uniqueName eq 'x'</c>, alone or under an
        /// <c>and</c>), or null: a collection looks the candidates up by its index instead of reading every object.
        /// </summary>
        public virtual string? RequiredValue(string property) => null;

        /// <summary>Parses <paramref name="text"/>; <paramref name="isFilterable"/> says whether a property may be filtered on.</summary>
        public static FilterExpression Parse(string text, Func<string, bool> isFilterable, string resource) =>
            Parse(text, isFilterable, _ => false, resource);

        /// <summary>As above; <paramref name="isStringCollection"/> says which properties take <c>any</c>.</summary>
        public static FilterExpression Parse(string text, Func<string, bool> isFilterable, Func<string, bool> isStringCollection, string resource)
        {
            var p = new Parser(text, isFilterable, isStringCollection, resource);
            var e = p.ParseOr();
            p.SkipWs();
            if (!p.AtEnd) throw p.Invalid();
            return e;
        }

        private sealed class Parser
        {
            private readonly string _s;
            private readonly Func<string, bool> _isFilterable;
            private readonly Func<string, bool> _isStringCollection;
            private readonly string _resource;
            private int _i;
            private int _depth;

            public Parser(string s, Func<string, bool> isFilterable, Func<string, bool> isStringCollection, string resource)
            {
                _s = s; _isFilterable = isFilterable; _isStringCollection = isStringCollection; _resource = resource;
            }

            public bool AtEnd => _i >= _s.Length;

            public GraphException Invalid() => new GraphException(400, "BadRequest", $"Invalid filter clause: syntax error at position {_i} in '{_s}'.");

            public void SkipWs() { while (!AtEnd && char.IsWhiteSpace(_s[_i])) _i++; }

            private bool TryKeyword(string kw)
            {
                SkipWs();
                if (_i + kw.Length <= _s.Length && string.Compare(_s, _i, kw, 0, kw.Length, StringComparison.OrdinalIgnoreCase) == 0
                    && (_i + kw.Length == _s.Length || !char.IsLetterOrDigit(_s[_i + kw.Length])))
                {
                    _i += kw.Length;
                    return true;
                }
                return false;
            }

            public FilterExpression ParseOr()
            {
                var left = ParseAnd();
                while (TryKeyword("or")) left = new Binary(left, ParseAnd(), false);
                return left;
            }

            private FilterExpression ParseAnd()
            {
                var left = ParseUnary();
                while (TryKeyword("and")) left = new Binary(left, ParseUnary(), true);
                return left;
            }

            private FilterExpression ParseUnary()
            {
                SkipWs();
                if (TryKeyword("not")) return Nested(() => new Not(ParseUnary()));
                if (!AtEnd && _s[_i] == '(')
                {
                    _i++;
                    var inner = Nested(ParseOr);
                    SkipWs();
                    if (AtEnd || _s[_i] != ')') throw Invalid();
                    _i++;
                    return inner;
                }
                string name = Identifier();
                SkipWs();
                if (string.Equals(name, "startswith", StringComparison.OrdinalIgnoreCase) && !AtEnd && _s[_i] == '(')
                {
                    _i++;
                    string prop = Property();
                    SkipWs();
                    if (AtEnd || _s[_i] != ',') throw Invalid();
                    _i++;
                    var lit = Literal();
                    SkipWs();
                    if (AtEnd || _s[_i] != ')') throw Invalid();
                    _i++;
                    return new StartsWith(prop, lit as string ?? throw Invalid());
                }
                if (!AtEnd && _s[_i] == '/') return Lambda(name);
                string property = Checked(name);
                string op = Identifier().ToLowerInvariant();
                if (op != "eq" && op != "ne") throw GraphException.UnsupportedQuery($"Unsupported query operator '{op}'.");
                return new Compare(property, Literal(), op == "ne");
            }

            /// <summary>
            /// <c>prop/any(v:v eq 'x')</c> or <c>prop/any(v:startswith(v,'x'))</c>. The body is one comparison of the range
            /// variable, never a nested expression, so it adds no recursion.
            /// </summary>
            private FilterExpression Lambda(string name)
            {
                _i++; // '/'
                string op = Identifier();
                if (!_isStringCollection(name))
                    throw GraphException.UnsupportedQuery($"Unsupported or invalid query filter clause specified for property '{name}' of resource '{_resource}'.");
                if (string.Equals(op, "all", StringComparison.OrdinalIgnoreCase))
                    throw GraphException.UnsupportedQuery("Unsupported Query.");
                if (!string.Equals(op, "any", StringComparison.OrdinalIgnoreCase)) throw Invalid();
                Expect('(');
                string variable = Identifier();
                Expect(':');
                string head = Identifier();
                SkipWs();
                FilterExpression result;
                if (string.Equals(head, "startswith", StringComparison.OrdinalIgnoreCase) && !AtEnd && _s[_i] == '(')
                {
                    _i++;
                    if (!string.Equals(Identifier(), variable, StringComparison.Ordinal)) throw Invalid();
                    Expect(',');
                    result = new AnyString(name, Literal() as string ?? throw Invalid(), prefix: true);
                    Expect(')');
                }
                else
                {
                    if (!string.Equals(head, variable, StringComparison.Ordinal)) throw Invalid();
                    string cmp = Identifier().ToLowerInvariant();
                    if (cmp != "eq") throw GraphException.UnsupportedQuery($"Unsupported query operator '{cmp}'.");
                    result = new AnyString(name, Literal() as string ?? throw Invalid(), prefix: false);
                }
                Expect(')');
                return result;
            }

            private void Expect(char c)
            {
                SkipWs();
                if (AtEnd || _s[_i] != c) throw Invalid();
                _i++;
            }

            /// <summary>One level of nesting, bounded: a client's parentheses must not decide how deep the tenant's stack goes.</summary>
            private FilterExpression Nested(Func<FilterExpression> parse)
            {
                if (++_depth > RequestLimits.MaxFilterDepth)
                    throw new GraphException(400, "BadRequest", $"Invalid filter clause: The recursion limit has been exceeded (at most {RequestLimits.MaxFilterDepth} nested levels).");
                try { return parse(); }
                finally { _depth--; }
            }

            private string Property() { SkipWs(); return Checked(Identifier()); }

            private string Checked(string name)
            {
                if (!_isFilterable(name))
                    throw GraphException.UnsupportedQuery($"Unsupported or invalid query filter clause specified for property '{name}' of resource '{_resource}'.");
                return name;
            }

            private string Identifier()
            {
                SkipWs();
                int start = _i;
                while (!AtEnd && (char.IsLetterOrDigit(_s[_i]) || _s[_i] == '_')) _i++;
                if (start == _i) throw Invalid();
                return _s.Substring(start, _i - start);
            }

            private object? Literal()
            {
                SkipWs();
                if (AtEnd) throw Invalid();
                if (_s[_i] == '\'')
                {
                    var sb = new StringBuilder();
                    _i++;
                    while (true)
                    {
                        if (AtEnd) throw Invalid();
                        if (_s[_i] == '\'')
                        {
                            if (_i + 1 < _s.Length && _s[_i + 1] == '\'') { sb.Append('\''); _i += 2; continue; }
                            _i++;
                            break;
                        }
                        sb.Append(_s[_i++]);
                    }
                    return sb.ToString();
                }
                int start = _i;
                while (!AtEnd && !char.IsWhiteSpace(_s[_i]) && _s[_i] != ')' && _s[_i] != ',') _i++;
                string token = _s.Substring(start, _i - start);
                if (token == "null") return null;
                if (token == "true") return true;
                if (token == "false") return false;
                if (Guid.TryParse(token, out var g)) return g.ToString();
                if (double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return d;
                throw Invalid();
            }
        }

        private sealed class Binary : FilterExpression
        {
            private readonly FilterExpression _l, _r;
            private readonly bool _and;
            public Binary(FilterExpression l, FilterExpression r, bool and) { _l = l; _r = r; _and = and; }
            public override bool Evaluate(JsonObject item) => _and ? _l.Evaluate(item) && _r.Evaluate(item) : _l.Evaluate(item) || _r.Evaluate(item);
            public override string? RequiredValue(string property) => _and ? _l.RequiredValue(property) ?? _r.RequiredValue(property) : null;
        }

        private sealed class Not : FilterExpression
        {
            private readonly FilterExpression _e;
            public Not(FilterExpression e) { _e = e; }
            public override bool Evaluate(JsonObject item) => !_e.Evaluate(item);
        }

        private sealed class Compare : FilterExpression
        {
            private readonly string _prop;
            private readonly object? _value;
            private readonly bool _negate;
            public Compare(string prop, object? value, bool negate) { _prop = prop; _value = value; _negate = negate; }

            public override string? RequiredValue(string property) => !_negate && _prop == property ? _value as string : null;

            public override bool Evaluate(JsonObject item)
            {
                var node = item[_prop];
                bool equal;
                if (_value == null) equal = node == null;
                else if (node == null) equal = false;
                else if (_value is string s) equal = node is JsonValue v && v.TryGetValue<string>(out var actual) && string.Equals(actual, s, StringComparison.OrdinalIgnoreCase);
                else if (_value is bool b) equal = node is JsonValue bv && bv.TryGetValue<bool>(out var ab) && ab == b;
                else equal = node is JsonValue nv && nv.TryGetValue<double>(out var ad) && ad.Equals(_value);
                return equal != _negate;
            }
        }

        private sealed class StartsWith : FilterExpression
        {
            private readonly string _prop, _prefix;
            public StartsWith(string prop, string prefix) { _prop = prop; _prefix = prefix; }
            public override bool Evaluate(JsonObject item) =>
                item[_prop] is JsonValue v && v.TryGetValue<string>(out var s) && s.StartsWith(_prefix, StringComparison.OrdinalIgnoreCase);
        }
    
        /// <summary>True when some element of a string collection equals (or starts with) the value, case-insensitively like <see cref="Compare"/>.</summary>
        private sealed class AnyString : FilterExpression
        {
            private readonly string _prop, _value;
            private readonly bool _prefix;
            public AnyString(string prop, string value, bool prefix) { _prop = prop; _value = value; _prefix = prefix; }

            public override bool Evaluate(JsonObject item) =>
                item[_prop] is JsonArray items && items.Any(n => n is JsonValue v && v.TryGetValue<string>(out var s)
                    && (_prefix ? s.StartsWith(_value, StringComparison.OrdinalIgnoreCase) : string.Equals(s, _value, StringComparison.OrdinalIgnoreCase)));
        }
    }
}
