// Runs after the consumer compiled (module-info requiring org.measureflow.core, .ot and .flowmatching by their
// Automatic-Module-Name, the BOM imported). Checks what a research group needs from the installed artifacts and
// fails naming each thing that is missing. Variables from it/pom.xml: reactorRoot, measureflowVersion; from the
// invoker: basedir (this project), localRepositoryPath (it/target/local-repo).
import groovy.xml.XmlSlurper
import java.util.jar.JarFile

def root = new File(reactorRoot).canonicalFile
def version = measureflowVersion
def repo = localRepositoryPath
def problems = []
def libraries = ['core', 'ot', 'flowmatching', 'gradientflow', 'transformer']

def pomOf = { String artifactId ->
    def f = new File(repo, "org/measureflow/${artifactId}/${version}/${artifactId}-${version}.pom")
    if (!f.isFile()) {
        problems << "${f} is missing"
        return null
    }
    new XmlSlurper().parse(f)
}
def entryText = { File jar, String name ->
    new JarFile(jar).withCloseable { j ->
        def e = j.getEntry(name)
        e == null ? null : j.getInputStream(e).getText('UTF-8')
    }
}
// The first package page under org/measureflow/<module>/ (a package holding only package-info has none).
def firstPackagePage = { File jar, String m ->
    new JarFile(jar).withCloseable { j ->
        j.entries().toList().collect { it.name }.findAll {
            it.startsWith("org/measureflow/${m}/") && it.endsWith('/package-summary.html')
        }.sort().find()
    }
}
// A rendered page: MathJax 3 loaded, configured for \( \) and \[ \], and the license in the footer.
def checkPage = { String what, String html ->
    if (html == null) {
        problems << "${what} is missing"
        return
    }
    if (!html.contains('cdn.jsdelivr.net/npm/mathjax@3/es5/tex-chtml.js')) {
        problems << "${what} does not load MathJax 3"
    }
    if (!html.contains("inlineMath: [['\\\\(', '\\\\)']]") || !html.contains("displayMath: [['\\\\[', '\\\\]']]")) {
        problems << "${what} does not configure MathJax for \\( \\) and \\[ \\] (the script's backslashes were lost?)"
    }
    if (!html.contains('Copyright 2026 the measureflow authors. Licensed under the')
            || !html.contains('Apache License, Version 2.0')) {
        problems << "${what} has no Apache-2.0 license footer"
    }
    if (html.contains('All rights reserved')) {
        problems << "${what} says 'All rights reserved'"
    }
}

libraries.each { m ->
    def a = "measureflow-${m}"
    ['', '-sources', '-javadoc'].each { c ->
        def installed = new File(repo, "org/measureflow/${a}/${version}/${a}-${version}${c}.jar")
        def built = new File(root, "${m}/target/${a}-${version}${c}.jar")
        if (!installed.isFile()) {
            problems << "${a}${c}.jar was not installed (${installed})"
        } else if (!built.isFile() || installed.bytes != built.bytes) {
            // The install step falls back to ~/.m2 when the reactor lacks an attachment: an older copy there must
            // not pass for this build's.
            problems << "${installed} is not the jar this build made (${built})"
        }
    }
    def jar = new File(repo, "org/measureflow/${a}/${version}/${a}-${version}.jar")
    if (jar.isFile()) {
        def name = new JarFile(jar).withCloseable { it.manifest?.mainAttributes?.getValue('Automatic-Module-Name') }
        if (name != "org.measureflow.${m}") {
            problems << "${a}.jar has Automatic-Module-Name '${name}', not 'org.measureflow.${m}'"
        }
    }
    def sources = new File(repo, "org/measureflow/${a}/${version}/${a}-${version}-sources.jar")
    if (sources.isFile() && new JarFile(sources).withCloseable { j ->
            !j.entries().toList().any { it.name.startsWith("org/measureflow/${m}/") && it.name.endsWith('.java') } }) {
        problems << "${a}-sources.jar has no .java file under org/measureflow/${m}/"
    }
    def javadoc = new File(repo, "org/measureflow/${a}/${version}/${a}-${version}-javadoc.jar")
    if (javadoc.isFile()) {
        checkPage("index.html of ${a}-javadoc.jar", entryText(javadoc, 'index.html'))
        def page = firstPackagePage(javadoc, m)
        checkPage("${page ?: "a package page of org.measureflow.${m}"} in ${a}-javadoc.jar",
                page == null ? null : entryText(javadoc, page))
        // Types of core in another module's javadoc link to core's published javadoc.
        def coreLink = "https://javadoc.io/doc/org.measureflow/measureflow-core/${version}/org/measureflow/core/"
        if (m != 'core' && !new JarFile(javadoc).withCloseable { j ->
                j.entries().toList().findAll { it.name.endsWith('.html') }
                        .any { j.getInputStream(it).getText('UTF-8').contains(coreLink) } }) {
            problems << "no page of ${a}-javadoc.jar links to a type of core (${coreLink}...)"
        }
    }
    def pom = pomOf(a)
    if (pom != null) {
        if (pom.parent.artifactId.text() != 'measureflow-parent') {
            problems << "${a}'s POM does not inherit measureflow-parent (its metadata)"
        }
        if (pom.name.text().isEmpty() || pom.description.text().isEmpty()) {
            problems << "${a}'s POM has no name or no description"
        }
        if (pom.properties.'maven.deploy.skip'.text() == 'true') {
            problems << "${a} is a library but skips deployment"
        }
    }
}

// Central's metadata, in the parent (inherited by the libraries) and in the BOM (which has no parent), the same.
def metadata = { p -> [
        url                 : p.url.text(),
        license             : p.licenses.license.name.text(),
        licenseUrl          : p.licenses.license.url.text(),
        developer           : p.developers.developer.name.text(),
        scmConnection       : p.scm.connection.text(),
        scmDeveloperConnection: p.scm.developerConnection.text(),
        scmUrl              : p.scm.url.text(),
] }
def parent = pomOf('measureflow-parent')
def bom = pomOf('measureflow-bom')
if (parent != null) {
    metadata(parent).each { k, v -> if (v.isEmpty()) problems << "measureflow-parent's POM has no ${k}" }
}
// The release profile signs what is deployed, in the parent (the libraries) and in the BOM.
['measureflow-parent': parent, 'measureflow-bom': bom].each { name, p ->
    if (p != null && !p.profiles.profile.find { it.id.text() == 'release' }.build.plugins.plugin.any {
            it.artifactId.text() == 'maven-gpg-plugin' && it.executions.execution.goals.goal*.text().contains('sign') }) {
        problems << "${name}'s POM has no release profile signing with maven-gpg-plugin"
    }
}
if (parent != null && bom != null) {
    if (metadata(bom) != metadata(parent)) {
        problems << "the BOM's metadata ${metadata(bom)} differs from the parent's ${metadata(parent)}"
    }
    if (!bom.parent.isEmpty()) {
        problems << "the BOM has a parent: importing it would bring the parent's dependencyManagement"
    }
    if (bom.version.text() != version) {
        problems << "the BOM's version ${bom.version.text()} is not the libraries' ${version}"
    }
    def managed = bom.dependencyManagement.dependencies.dependency.collect {
        "${it.groupId.text()}:${it.artifactId.text()}:${it.version.text()}".toString()
    } as Set
    // spark is in the BOM too, but not in this check's libraries: its Spark dependency stays out of it/ and javadoc/
    def expected = (libraries + ['spark']).collect { "org.measureflow:measureflow-${it}:\${project.version}".toString() } as Set
    if (managed != expected) {
        problems << "the BOM manages ${managed}, not exactly the five library modules and spark ${expected}"
    }
}

// Not libraries: never deployed.
['benchmarks', 'examples', 'javadoc', 'it'].each { m ->
    def p = new XmlSlurper().parse(new File(root, "${m}/pom.xml"))
    if (p.properties.'maven.deploy.skip'.text() != 'true') {
        problems << "${m}/pom.xml does not set maven.deploy.skip to true"
    }
}

// The aggregated site: every library's pages, linked across modules, rendered.
def site = new File(root, 'javadoc/target/reports/apidocs')
checkPage("${site}/index.html", new File(site, 'index.html').with { it.isFile() ? it.getText('UTF-8') : null })
libraries.each { m ->
    def dir = new File(site, "org/measureflow/${m}")
    def pages = []
    if (dir.isDirectory()) {
        dir.eachFileRecurse { if (it.name == 'package-summary.html') pages << it }
    }
    if (pages.isEmpty()) {
        problems << "the aggregated Javadoc has no package page under org/measureflow/${m}/"
    } else {
        checkPage("${pages.sort().first()}", pages.sort().first().getText('UTF-8'))
    }
}
def otPages = []
new File(site, 'org/measureflow/ot').eachFileRecurse { if (it.name.endsWith('.html')) otPages << it }
if (!otPages.any { it.getText('UTF-8') =~ /href="(\.\.\/)+core\/[^"]+\.html/ }) {
    problems << "no page of org.measureflow.ot in the aggregated Javadoc links to a type of org.measureflow.core"
}

if (!problems.isEmpty()) {
    throw new AssertionError("The consumer check found " + problems.size() + " problem(s):\n  - "
            + problems.join("\n  - "))
}
println("Consumer check: five library modules with sources, javadoc (MathJax, license, links to core), "
        + "Automatic-Module-Name and Central metadata; the BOM, the deployment skips and the aggregated Javadoc "
        + "as expected.")
return true
