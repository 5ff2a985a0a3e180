package dev.podium.security;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodParameter;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.support.DefaultConversionService;
import org.springframework.expression.EvaluationContext;
import org.springframework.expression.Expression;
import org.springframework.security.access.expression.ExpressionUtils;
import org.springframework.security.access.expression.method.MethodSecurityExpressionHandler;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.util.SimpleMethodInvocation;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Decides a handler's {@code @PreAuthorize} before its arguments are read, so that a
 * caller who may not call it is refused (403) before its body is parsed, validated (400)
 * or found too large (413). Method security still checks again at the call itself.
 * <p>
 * At this point only the path is known: the expression sees {@code authentication} and
 * the handler's {@code @PathVariable} parameters by name (e.g.
 * {@code @competitionAccess.canManage(authentication, #slug)}); other parameters are
 * {@code null}, so an expression must not rely on them.
 */
class AuthorizeBeforeReading implements HandlerInterceptor {

	private final MethodSecurityExpressionHandler expressions;

	private final ConversionService conversions = DefaultConversionService.getSharedInstance();

	private final ParameterNameDiscoverer names = new DefaultParameterNameDiscoverer();

	private final Map<Method, Expression> parsed = new ConcurrentHashMap<>();

	AuthorizeBeforeReading(MethodSecurityExpressionHandler expressions) {
		this.expressions = expressions;
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		if (!(handler instanceof HandlerMethod method)) {
			return true;
		}
		PreAuthorize rule = AnnotatedElementUtils.findMergedAnnotation(method.getMethod(), PreAuthorize.class);
		if (rule == null) {
			rule = AnnotatedElementUtils.findMergedAnnotation(method.getBeanType(), PreAuthorize.class);
		}
		if (rule == null) {
			return true;
		}
		String value = rule.value();
		Expression expression = this.parsed.computeIfAbsent(method.getMethod(),
				(key) -> this.expressions.getExpressionParser().parseExpression(value));
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		EvaluationContext context = this.expressions.createEvaluationContext(() -> authentication,
				new SimpleMethodInvocation(method.getBean(), method.getMethod(), pathArguments(method, request)));
		if (!ExpressionUtils.evaluateAsBoolean(expression, context)) {
			throw new AuthorizationDeniedException("Access Denied", new AuthorizationDecision(false));
		}
		return true;
	}

	@SuppressWarnings("unchecked")
	private Object[] pathArguments(HandlerMethod method, HttpServletRequest request) {
		Map<String, String> variables = (Map<String, String>) request
			.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
		MethodParameter[] parameters = method.getMethodParameters();
		Object[] arguments = new Object[parameters.length];
		if (variables == null) {
			return arguments;
		}
		for (int i = 0; i < parameters.length; i++) {
			PathVariable path = parameters[i].getParameterAnnotation(PathVariable.class);
			if (path == null) {
				continue;
			}
			parameters[i].initParameterNameDiscovery(this.names);
			String name = !path.name().isEmpty() ? path.name() : parameters[i].getParameterName();
			String raw = (name != null) ? variables.get(name) : null;
			if (raw == null) {
				continue;
			}
			try {
				arguments[i] = this.conversions.convert(raw, parameters[i].getParameterType());
			}
			catch (RuntimeException ex) {
				// malformed: binding answers that later, and the rule sees null
			}
		}
		return arguments;
	}

}
