package dev.podium.scoring;

/**
 * The keyword arguments a metric spec passes to its scikit-learn function, as in
 * {@code f1_score(average='macro')} or {@code precision_score(pos_label='spam')}; absent
 * ones take scikit-learn's defaults.
 *
 * @param average the {@code average} argument, {@code null} for the function's default
 * @param posLabel the {@code pos_label} argument, {@code null} for the default 1
 */
record Arguments(String average, Label posLabel) {

	static final Arguments NONE = new Arguments(null, null);

	/**
	 * scikit-learn's default {@code pos_label}.
	 */
	static final Label ONE = Label.number(1, "1");

	String averageOr(String fallback) {
		return (this.average != null) ? this.average : fallback;
	}

	Label posLabelOr(Label fallback) {
		return (this.posLabel != null) ? this.posLabel : fallback;
	}

	/**
	 * How a spec with these arguments is written, e.g.
	 * {@code f1_score(average='macro', pos_label=0)}.
	 */
	String spec(String function) {
		if (this.average == null && this.posLabel == null) {
			return function;
		}
		StringBuilder spec = new StringBuilder(function).append('(');
		if (this.average != null) {
			spec.append("average='").append(this.average).append('\'');
		}
		if (this.posLabel != null) {
			spec.append((this.average != null) ? ", " : "").append("pos_label=");
			spec.append((this.posLabel instanceof Label.Text text) ? "'" + text.text() + "'" : this.posLabel.text());
		}
		return spec.append(')').toString();
	}

}
