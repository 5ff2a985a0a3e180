package dev.podium.web;

import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.module.SimpleModule;

import dev.podium.problem.ProblemException;

/**
 * Text that Podium takes in: a NUL character is no part of any name, title, reason or
 * description, and PostgreSQL cannot store it, so a JSON string that carries one is
 * refused (400 {@code invalid-text}) before anything is written, rather than failing at
 * the database.
 */
public final class TextInput {

	private TextInput() {
	}

	/** Refuses text with a NUL character, naming the field. */
	public static String checked(String field, String text) {
		if (text != null && text.indexOf('\u0000') >= 0) {
			throw invalid(field);
		}
		return text;
	}

	static ProblemException invalid(String field) {
		return ProblemException.badRequest("invalid-text",
				"'" + field + "' contains a NUL character, which no text of Podium's may hold");
	}

	/** Every string of every JSON body passes {@link #checked}. */
	static SimpleModule jsonModule() {
		return new SimpleModule("podium-text-input").addDeserializer(String.class, new CheckedStrings());
	}

	private static final class CheckedStrings extends StringDeserializer {

		@Override
		public String deserialize(JsonParser parser, DeserializationContext context) {
			String text = super.deserialize(parser, context);
			if (text != null && text.indexOf('\u0000') >= 0) {
				String field = parser.currentName();
				throw invalid((field != null) ? field : "value");
			}
			return text;
		}

	}

}
